import { describe, expect, it } from "vitest";
import { adminHref, parseAdminHash } from "./adminRoutes";

describe("admin console routes", () => {
  it("parses page and ID", () => {
    expect(parseAdminHash("#/admin")).toEqual({ tab: "users", id: null });
    expect(parseAdminHash("#/admin/rooms")).toEqual({ tab: "rooms", id: null });
    expect(parseAdminHash("#/admin/users/%40anna%3Aamt.de")).toEqual({ tab: "users", id: "@anna:amt.de" });
    expect(parseAdminHash("#/admin/rooms/!abc%3Aamt.de")).toEqual({ tab: "rooms", id: "!abc:amt.de" });
  });
  it("falls back to the user list for unknown pages and bad escapes", () => {
    expect(parseAdminHash("#/admin/nonsense").tab).toBe("users");
    expect(parseAdminHash("#/admin/users/%E0%A4%A")).toEqual({ tab: "users", id: null });
  });
  it("builds addresses that parse back", () => {
    const href = adminHref("users", "@bernd/x:amt.de");
    expect(parseAdminHash(href)).toEqual({ tab: "users", id: "@bernd/x:amt.de" });
  });
});
