/** Addresses of the admin console's pages in the URL hash: #/admin/<page>[/<id>]. */
export const ADMIN_TABS = ["users", "rooms", "invites", "notices", "audit", "integrations", "status"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/** The page and (for users and rooms) the selected ID; unknown pages fall back to the user list. */
export function parseAdminHash(hash: string): { tab: AdminTab; id: string | null } {
  const m = hash.match(/^#\/admin(?:\/([a-z]+))?(?:\/(.+))?$/);
  const tab = (ADMIN_TABS as readonly string[]).includes(m?.[1] ?? "") ? (m![1] as AdminTab) : "users";
  let id: string | null = null;
  try {
    id = m?.[2] ? decodeURIComponent(m[2]) : null;
  } catch {
    id = null; // a malformed escape in a hand-typed address
  }
  return { tab, id };
}

export const adminHref = (tab: AdminTab, id?: string) => `#/admin/${tab}${id ? `/${encodeURIComponent(id)}` : ""}`;
