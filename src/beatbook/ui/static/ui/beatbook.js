// Starts GOV.UK Frontend's components. Loaded as a module, so only browsers that GOV.UK
// Frontend supports run it; the classes below are what the GOV.UK template would set inline,
// which a strict Content Security Policy forbids.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
