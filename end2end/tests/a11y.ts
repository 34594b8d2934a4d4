import AxeBuilder from "@axe-core/playwright";
import type { AxeResults, NodeResult } from "axe-core";
import { expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The WCAG levels every page is held to. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Text whose colour is too close to the colour behind it. */
export interface LowContrast {
  text: string;
  element: string;
  color: string;
  background: string;
  ratio: number;
  required: number;
}

/**
 * Every visible piece of text on `page` whose contrast with what is painted
 * behind it is below WCAG 1.4.3 (4.5:1, or 3:1 for large text).
 *
 * axe does not fail text whose colour equals its background: a 1:1 ratio is
 * "incomplete" (needs review, "Element has a 1:1 contrast ratio with the
 * background"), because such text is often hidden on purpose. That is how
 * white-on-white "Čeština" in the header passed axe. This check computes the
 * ratio itself and fails it like any other.
 *
 * The background is found by painting the element's ancestors from the root
 * down (background colours, and opacity applied to each ancestor's group), so
 * transparent backgrounds show what is behind them. Text that is not painted
 * (display:none, visibility:hidden, opacity 0, zero size) is left out, and so
 * is the text of disabled controls, which WCAG 1.4.3 exempts. Stacking by
 * positioning (an element painted over a sibling) is not modelled: in this app
 * the only positioned element is the skip link, checked against its own
 * ancestors. An ancestor with a background image (or a colour in a syntax
 * other than rgb()) cannot be decided here and is reported as such (ratio 0).
 */
export async function lowContrastText(page: Page): Promise<LowContrast[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba | null => {
      const m = css.match(/^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/);
      if (!m) return null;
      let a = m[4] === undefined ? 1 : parseFloat(m[4]);
      if (m[4]?.endsWith("%")) a /= 100;
      return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), a];
    };
    // Source-over with straight (not premultiplied) alpha.
    const over = (s: Rgba, d: Rgba): Rgba => {
      const a = s[3] + d[3] * (1 - s[3]);
      if (a === 0) return [0, 0, 0, 0];
      const c = (i: number) => (s[i] * s[3] + d[i] * d[3] * (1 - s[3])) / a;
      return [c(0), c(1), c(2), a];
    };
    const luminance = (c: Rgba) => {
      const [r, g, b] = [c[0], c[1], c[2]].map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: Rgba, b: Rgba) => {
      const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (l1 + 0.05) / (l2 + 0.05);
    };
    const hex = (c: Rgba) => "#" + [c[0], c[1], c[2]].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
      return `${el.tagName.toLowerCase()}${id}${cls}`;
    };
    const white: Rgba = [255, 255, 255, 1];

    const found: LowContrast[] = [];
    const textInputs = new Set(["text", "email", "password", "search", "tel", "url", "number", "date"]);
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (el.closest("script, style, template, noscript, option, [hidden]")) continue;
      let text = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? "")
        .join(" ")
        .trim();
      // An empty field shows its placeholder, in the ::placeholder colour.
      let color = getComputedStyle(el).color;
      if (el instanceof HTMLInputElement && textInputs.has(el.type)) {
        text = el.value || el.placeholder;
        if (!el.value) color = getComputedStyle(el, "::placeholder").color;
      }
      if (el instanceof HTMLSelectElement) text = el.selectedOptions[0]?.text ?? "";
      if (!text) continue;
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (el.closest(":disabled")) continue;

      const chain: Element[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) chain.unshift(e);
      let undecidable = false;
      // Paints chain[i]'s group in isolation: its background, then the next
      // element's group (or, at the end, the text), faded by its opacity.
      const paint = (i: number, withText: boolean): Rgba => {
        const style = getComputedStyle(chain[i]);
        if (style.backgroundImage !== "none") undecidable = true;
        let layer: Rgba = parse(style.backgroundColor) ?? [0, 0, 0, 0];
        if (i + 1 < chain.length) {
          layer = over(paint(i + 1, withText), layer);
        } else if (withText) {
          const fg = parse(color);
          if (!fg) undecidable = true;
          layer = over(fg ?? [0, 0, 0, 0], layer);
        }
        return [layer[0], layer[1], layer[2], layer[3] * parseFloat(style.opacity)];
      };
      const fg = over(paint(0, true), white);
      const bg = over(paint(0, false), white);
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize);
      const bold = parseInt(style.fontWeight, 10) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      const required = large ? 3 : 4.5;
      const ratio = undecidable ? 0 : Math.floor(contrast(fg, bg) * 100) / 100;
      if (ratio < required) {
        const background = undecidable ? "a background image or colour this check cannot read" : hex(bg);
        found.push({ text: text.slice(0, 60), element: describe(el), color: hex(fg), background, ratio, required });
      }
    }
    return found;
  });
}

/** The element axe names, e.g. `#admin_email` or `td:nth-child(4) > a`. */
const target = (n: NodeResult) => n.target.map(String).join(" ");

/**
 * axe's findings for the page as it is now, WCAG rules only, by
 * @axe-core/playwright. Legacy mode runs axe in the page itself: the default
 * mode opens a blank page for every run to combine the frames' results
 * (about 600 ms a run against 250 ms, over the ~130 states below a minute and
 * more). Frames are not entered: the one page with a frame, the mailbox, shows
 * emails whose HTML is checked as a page of its own.
 */
async function runAxe(page: Page): Promise<AxeResults> {
  // `options` replaces what `withTags` would set, so the tags go in here.
  return new AxeBuilder({ page })
    .options({
      runOnly: { type: "tag", values: WCAG_TAGS },
      resultTypes: ["violations", "incomplete"],
      iframes: false,
    })
    .setLegacyMode(true)
    .analyze();
}

/**
 * Asserts that the page as it is now has no WCAG 2.2 AA violation that axe
 * finds (tags above), no text that axe leaves undecided at a 1:1 contrast, and
 * no text below the contrast minimum by our own measure (see
 * `lowContrastText`). Soft: a test walking many pages reports them all.
 */
export async function expectAccessible(page: Page, where: string) {
  const results = await runAxe(page);
  const problems = results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id}: ${target(n)}: ${n.failureSummary?.replace(/\s+/g, " ")}`),
  );
  // axe reports text in the colour of its background as "incomplete" (it
  // may be hidden on purpose); nothing in this app is hidden that way.
  for (const r of results.incomplete.filter((r) => r.id === "color-contrast")) {
    for (const n of r.nodes) {
      const data = n.any.map((c) => c.data as { messageKey?: string; fgColor?: string; bgColor?: string } | null);
      const equal = data.find((d) => d?.messageKey === "equalRatio");
      if (equal) problems.push(`color-contrast (axe: needs review): ${target(n)}: ${equal.fgColor} on ${equal.bgColor} is 1:1`);
    }
  }
  for (const l of await lowContrastText(page)) {
    problems.push(`text contrast: ${l.element} "${l.text}": ${l.color} on ${l.background} is ${l.ratio}:1, needs ${l.required}:1`);
  }
  expect.soft(problems, `accessibility of ${where}`).toEqual([]);
}

export type Lang = "en" | "cs";

type Messages = { [key: string]: string | Messages };
const messages: Record<Lang, Messages> = {
  en: JSON.parse(readFileSync(join(__dirname, "../../locales/en.json"), "utf8")),
  cs: JSON.parse(readFileSync(join(__dirname, "../../locales/cs.json"), "utf8")),
};

/** The app's own text for `key` ("wizard.next") in `lang`, as the locale files have it. */
export function texts(lang: Lang) {
  return (key: string): string => {
    const found = key.split(".").reduce<string | Messages | undefined>((m, k) => (typeof m === "object" ? m[k] : undefined), messages[lang]);
    if (typeof found !== "string") throw new Error(`no text ${key} in ${lang}`);
    return found;
  };
}
