import { describe, expect, it } from "vitest";
import de from "./de";
import en from "./en";
import { formatDayLabel, formatSize, pickLocale, t } from "./index";

describe("i18n", () => {
  it("picks German when the browser prefers it, English for English, German as default", () => {
    expect(pickLocale(["de-DE", "en"])).toBe("de");
    expect(pickLocale(["en-GB", "de"])).toBe("en");
    expect(pickLocale(["fr-FR", "en-US"])).toBe("en");
    expect(pickLocale(["fr"])).toBe("de");
    expect(pickLocale([])).toBe("de");
  });
  it("has the same keys and placeholders in both catalogues", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(",");
    for (const k of Object.keys(de) as (keyof typeof de)[]) expect(ph(en[k]), k).toBe(ph(de[k]));
  });
  it("interpolates and pluralises", () => {
    expect(t("msg.readBy", { names: "Anna" }, "de")).toBe("Gelesen von Anna");
    expect(t("list.unread", { count: 1 }, "de")).toBe("1 ungelesene Nachricht");
    expect(t("list.unread", { count: 1200 }, "de")).toBe("1.200 ungelesene Nachrichten");
    expect(t("list.unread", { count: 2 }, "en")).toBe("2 unread messages");
  });
  it("localises day labels and sizes", () => {
    const now = new Date(2026, 4, 20, 12).getTime();
    expect(formatDayLabel(now - 3600_000, now, "de")).toBe("Heute");
    expect(formatDayLabel(now - 86_400_000, now, "en")).toBe("Yesterday");
    expect(formatDayLabel(new Date(2026, 4, 1).getTime(), now, "de")).toBe("Freitag, 1. Mai");
    expect(formatDayLabel(new Date(2025, 4, 1).getTime(), now, "en")).toBe("Thursday, May 1, 2025");
    expect(formatSize(1_500_000, "de")).toBe("1,5 MB");
    expect(formatSize(1_500_000, "en")).toBe("1.5 MB");
    expect(formatSize(999, "en")).toBe("999 B");
  });
});
