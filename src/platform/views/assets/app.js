// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/javascripts/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/javascripts/moj-frontend.min.js';

initAll();
initMoj();
