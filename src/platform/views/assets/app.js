// Progressive enhancement only: every page works without this file.
import { createAll, initAll } from '/assets/javascripts/govuk-frontend.min.js';
import { FilterToggleButton, initAll as initMoj } from '/assets/javascripts/moj-frontend.min.js';

initAll();
initMoj();
// A list's filter panel opens and closes with a "Show filter" / "Hide filter" button (MoJ's filter
// toggle button, which MoJ Frontend's initAll leaves out). Each filter names, in data attributes,
// where its button goes and from what width it stands open beside the list.
createAll(FilterToggleButton);
