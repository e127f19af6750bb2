import de, { type MessageKey } from "./de";
import en from "./en";

export type Locale = "de" | "en";
export type { MessageKey };

const catalogues: Record<Locale, Record<MessageKey, string>> = { de, en };

/** Picks the UI language from the browser's preference list: the first of de/en that appears wins; German otherwise. */
export function pickLocale(languages: readonly string[] | undefined): Locale {
  for (const lang of languages ?? []) {
    const base = lang.toLowerCase().split("-")[0];
    if (base === "de") return "de";
    if (base === "en") return "en";
  }
  return "de";
}

let current: Locale = typeof navigator !== "undefined" ? pickLocale(navigator.languages ?? [navigator.language]) : "de";

export function setLocale(locale: Locale): void {
  current = locale;
  if (typeof document !== "undefined") document.documentElement.lang = locale;
}

export function getLocale(): Locale {
  return current;
}

type Vars = Record<string, string | number>;

function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/**
 * Translates a key. For keys with plural forms (`key_one`, `key_other`), pass the base key and a numeric `count`.
 */
export function t(key: MessageKey | string, vars?: Vars, locale: Locale = current): string {
  const cat = catalogues[locale] as Record<string, string>;
  let template = cat[key];
  if (template === undefined && vars && typeof vars.count === "number") {
    const form = new Intl.PluralRules(locale).select(vars.count);
    template = cat[`${key}_${form}`] ?? cat[`${key}_other`];
  }
  if (template === undefined) template = (catalogues.de as Record<string, string>)[key] ?? key;
  const localVars = vars && typeof vars.count === "number" ? { ...vars, count: formatNumber(vars.count, locale) } : vars;
  return interpolate(template, localVars);
}

export function formatNumber(n: number, locale: Locale = current, digits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n);
}

export function formatTime(ts: number, locale: Locale = current): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(ts));
}

export function formatDateTime(ts: number, locale: Locale = current): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(ts));
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Label for a day separator: "Heute", "Gestern", or a full localised date. */
export function formatDayLabel(ts: number, now: number = Date.now(), locale: Locale = current): string {
  const day = startOfDay(new Date(ts));
  const today = startOfDay(new Date(now));
  const diffDays = Math.round((today - day) / 86_400_000);
  if (diffDays === 0) return t("room.today", undefined, locale);
  if (diffDays === 1) return t("room.yesterday", undefined, locale);
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(new Date(ts));
}

/** Short time-or-date for the chat list: time if today, weekday if within a week, else the date. */
export function formatListTime(ts: number, now: number = Date.now(), locale: Locale = current): string {
  const diffDays = Math.round((startOfDay(new Date(now)) - startOfDay(new Date(ts))) / 86_400_000);
  if (diffDays === 0) return formatTime(ts, locale);
  if (diffDays === 1) return t("room.yesterday", undefined, locale);
  if (diffDays < 7) return new Intl.DateTimeFormat(locale, { weekday: "short" }).format(new Date(ts));
  return new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "2-digit" }).format(new Date(ts));
}

/** Human-readable file size, localised (1.5 MB / 1,5 MB). */
export function formatSize(bytes: number, locale: Locale = current): string {
  if (bytes < 1000) return t("size.B", { n: formatNumber(bytes, locale) }, locale);
  if (bytes < 1000 ** 2) return t("size.KB", { n: formatNumber(bytes / 1000, locale, 1) }, locale);
  if (bytes < 1000 ** 3) return t("size.MB", { n: formatNumber(bytes / 1000 ** 2, locale, 1) }, locale);
  return t("size.GB", { n: formatNumber(bytes / 1000 ** 3, locale, 1) }, locale);
}
