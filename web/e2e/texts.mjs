// The app's own message catalogues (src/i18n), so browser tests look for exactly the texts users see.
import { readFileSync } from "node:fs";

function catalogue(file) {
  const src = readFileSync(new URL(`../src/i18n/${file}`, import.meta.url), "utf8");
  const out = {};
  for (const m of src.matchAll(/^\s*"([\w.]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$/gm)) out[m[1]] = JSON.parse(`"${m[2]}"`);
  return out;
}
const CAT = { de: catalogue("de.ts"), en: catalogue("en.ts") };

/** A catalogue text with its placeholders filled in. */
export function T(lang, key, vars = {}) {
  const s = CAT[lang][key] ?? CAT[lang][`${key}_other`];
  if (s === undefined) throw new Error(`no text ${key}`);
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** A string as a literal inside a RegExp. */
export const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Regex matching a catalogue text with its placeholders as wildcards. */
export const TX = (lang, key) => new RegExp(esc(CAT[lang][key] ?? CAT[lang][`${key}_other`]).replace(/\\\{\w+\\\}/g, ".*"));
