/** The population module's front door: the only file other modules, the app and the CLI import. */
export { loadPopulation } from './population.queries.ts';
export { populationFigure } from './schema.ts';
