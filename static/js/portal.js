// MECC Portal: progressive enhancement on top of NHS.UK frontend.
//
// Loaded as <script type="module"> from base.html, so it runs only in browsers that
// support ES modules: the ones NHS.UK frontend v10 supports. Without it every page still
// works. There is no inline script anywhere (strict Content Security Policy), so the body
// classes NHS.UK frontend's CSS and JavaScript look for are set here.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");

initAll();

// Content swapped in by htmx gets the same component behaviour as the page it lands in.
document.body.addEventListener("htmx:load", (event) => {
  const element = event.target;
  if (element instanceof Element && element !== document.body) {
    initAll({ scope: element, onError: () => {} });
  }
});
