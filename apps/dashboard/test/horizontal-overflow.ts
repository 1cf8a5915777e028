import type { Page } from "playwright-core";
import { expect } from "vitest";

/** The page's scroll width and every visible control that sticks out left or right of the viewport. */
const horizontalOverflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll("button, input, select, textarea, .switch")]
      .map((element) => ({
        name: element.getAttribute("aria-label") || element.id || element.textContent?.trim(),
        box: element.getBoundingClientRect(),
      }))
      .filter(({ box }) => box.width > 0 && (box.left < 0 || box.right > width))
      .map(({ name, box }) => `${name} at x ${Math.round(box.left)}..${Math.round(box.right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, outside };
  });

/** Asserts the page does not scroll sideways at `width` and every control is inside the viewport. */
export async function expectNoHorizontalOverflow(page: Page, width: number): Promise<void> {
  const { scrollWidth, outside } = await horizontalOverflow(page);
  expect(outside).toEqual([]);
  expect(scrollWidth).toBeLessThanOrEqual(width);
}
