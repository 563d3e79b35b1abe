"""Driving a page with the keyboard only, and checking focus: reachable, visible, no trap.

`tab_through(page)` presses Tab from the top of the page until focus leaves the document
(Chromium then puts it back on <body>) or comes round to the first control again, then
Shift+Tab back to the start, which must retrace the same stops. On each stop it records the
focused control and its focus styles; afterwards it compares each with the same control
unfocused, so a control whose focus cannot be seen is reported. Radio
buttons are one Tab stop per group (arrow keys move within it), so a group counts as reached
when any of its buttons is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Page

# Marks every control a keyboard user must be able to reach, and returns their descriptions.
MARK_CONTROLS_JS = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
  const shown = (el) => {
    if (el.closest('[inert], [hidden], [aria-hidden="true"]')) return false;
    const details = el.closest('details:not([open])');
    if (details && el.tagName !== 'SUMMARY') return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    // NHS.UK radios and checkboxes hide the input itself (opacity 0) but it takes focus.
    return el.getClientRects().length > 0;
  };
  const found = [];
  let index = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || !shown(el)) continue;
    const key = el.type === 'radio' && el.name ? 'radio:' + el.name : 'c' + (index++);
    el.dataset.kbdKey = key;
    if (!found.some((f) => f.key === key)) found.push({key: key, what: describe(el)});
  }
  function describe(el) {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 50);
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.name ? '[name=' + el.name + ']' : '') + (text ? ' "' + text + '"' : '');
  }
  window.__kbdDescribe = describe;
  return found;
}
"""

# The look of the focused element (and, for NHS.UK radios/checkboxes, of its label's box).
FOCUS_STYLE_JS = """
(el) => {
  const pick = (style) => [style.outlineStyle, style.outlineWidth, style.outlineColor,
    style.boxShadow, style.backgroundColor, style.color, style.textDecorationLine,
    style.textDecorationThickness, style.borderColor].join('|');
  let look = pick(getComputedStyle(el));
  if (el.type === 'radio' || el.type === 'checkbox') {
    const label = el.labels && el.labels[0];
    if (label) look += '||' + pick(getComputedStyle(label, '::before'));
  }
  return look;
}
"""

ACTIVE_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  return {key: el.dataset.kbdKey || '', what: window.__kbdDescribe(el)};
}
"""


@dataclass
class TabWalk:
    """What tabbing through a page found."""

    controls: dict[str, str]  # key -> description of every control that should be reachable
    stops: list[str] = field(default_factory=list)  # keys in the order focus reached them
    unmarked: list[str] = field(default_factory=list)  # focus stops not in `controls`
    invisible_focus: list[str] = field(default_factory=list)
    left_document: bool = False  # focus came back to <body> or the first stop
    backwards: list[str] = field(default_factory=list)  # keys from Shift+Tab, end to start

    def problems(self, where: str) -> list[str]:
        found: list[str] = []
        missed = [what for key, what in self.controls.items() if key not in self.stops]
        if missed:
            found.append(f"{where}: not reachable with Tab: " + "; ".join(missed))
        if self.invisible_focus:
            found.append(
                f"{where}: no visible focus indicator on: " + "; ".join(self.invisible_focus)
            )
        if self.left_document and self.backwards != self.stops[::-1]:
            found.append(
                f"{where}: Shift+Tab does not retrace the Tab order "
                f"({len(self.backwards)} stops back, {len(self.stops)} forward)"
            )
        if not self.left_document:
            found.append(
                f"{where}: keyboard trap: after {len(self.stops)} Tab presses focus never "
                "reached the end of the page"
            )
        return found


def _focus_look(page: Page) -> str:
    look: str = page.evaluate(f"() => ({FOCUS_STYLE_JS})(document.activeElement)")
    return look


def tab_through(page: Page) -> TabWalk:
    """Tab from the top of the page to the end, recording each stop and its focus style."""
    controls = {c["key"]: c["what"] for c in page.evaluate(MARK_CONTROLS_JS)}
    walk = TabWalk(controls=controls)
    start_from_top(page)
    focused_looks: dict[str, str] = {}
    first: str | None = None
    for _ in range(len(controls) + 15):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_JS)
        if active is None:
            walk.left_document = True
            break
        key = active["key"] or f"unmarked {active['what']}"
        if key == first:
            walk.left_document = True
            break
        first = first or key
        walk.stops.append(key)
        if not active["key"]:
            walk.unmarked.append(active["what"])
            continue
        focused_looks[key] = _focus_look(page)
    if walk.left_document:
        # From past the end of the page, Shift+Tab must visit the same stops in reverse.
        for _ in walk.stops:
            page.keyboard.press("Shift+Tab")
            active = page.evaluate(ACTIVE_JS)
            if active is None:
                break
            walk.backwards.append(active["key"] or f"unmarked {active['what']}")
    for key, look in focused_looks.items():
        unfocused: str = page.evaluate(
            f"""(key) => {{
                document.activeElement && document.activeElement.blur();
                const el = document.querySelector(`[data-kbd-key="${{key}}"]:checked`)
                    || document.querySelector(`[data-kbd-key="${{key}}"]`);
                return ({FOCUS_STYLE_JS})(el);
            }}""",
            key,
        )
        if unfocused == look:
            walk.invisible_focus.append(controls[key])
    return walk


def focus_is(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        )
    )


def tab_to(page: Page, selector: str, *, limit: int = 200, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if focus_is(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} was not reached after {limit} presses of {key}")


START_JS = """
() => {
  // A focusable-by-script marker at the very start of <body>: the next Tab goes to the
  // first control of the page, as it does after a page loads.
  let start = document.getElementById('kbd-start');
  if (!start) {
    start = document.createElement('span');
    start.id = 'kbd-start';
    start.tabIndex = -1;
    document.body.prepend(start);
  }
  start.focus();
  window.scrollTo(0, 0);
}
"""


def start_from_top(page: Page) -> None:
    """Put focus back at the start of the document, as after loading the page."""
    page.evaluate(START_JS)
