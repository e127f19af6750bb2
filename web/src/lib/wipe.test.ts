import { describe, expect, it, vi } from "vitest";
import { KNOWN_DATABASES, isHardLogout, isWipe, onHardLogout, reportAuthError, wipeLocalData, type WipeEnv } from "./wipe";

/** A fake IndexedDB whose deleteDatabase answers like the browser's (async success, or blocked). */
function fakeIdb(names: string[], blocked: string[] = []) {
  const deleted: string[] = [];
  return {
    deleted,
    databases: async () => names.map((name) => ({ name })),
    deleteDatabase(name: string) {
      const req: any = {};
      setTimeout(() => {
        if (blocked.includes(name)) req.onblocked?.();
        else {
          deleted.push(name);
          req.onsuccess?.();
        }
      }, 0);
      return req;
    },
  };
}

function fakeEnv() {
  const idb = fakeIdb(["matrix-js-sdk::matrix-sdk-crypto", "other-db"]);
  const local = { clear: vi.fn() };
  const session = { clear: vi.fn() };
  const cacheKeys = ["amtsbote-shell-abc", "amtsbote-shell-def"];
  const caches = { keys: vi.fn(async () => cacheKeys), delete: vi.fn(async () => true) };
  const unsubscribe = vi.fn(async () => true);
  const env: WipeEnv = { indexedDB: idb as any, localStorage: local, sessionStorage: session, caches: caches as any, pushSubscription: async () => ({ unsubscribe }) };
  return { env, idb, local, session, caches, unsubscribe };
}

describe("isHardLogout", () => {
  it("is true for 401 M_UNKNOWN_TOKEN without soft logout or with soft_logout false", () => {
    expect(isHardLogout(401, { errcode: "M_UNKNOWN_TOKEN" })).toBe(true);
    expect(isHardLogout(401, { errcode: "M_UNKNOWN_TOKEN", soft_logout: false })).toBe(true);
  });
  it("is false for a soft logout, other errors and other statuses", () => {
    expect(isHardLogout(401, { errcode: "M_UNKNOWN_TOKEN", soft_logout: true })).toBe(false);
    expect(isHardLogout(401, { errcode: "M_MISSING_TOKEN" })).toBe(false);
    expect(isHardLogout(403, { errcode: "M_UNKNOWN_TOKEN" })).toBe(false);
    expect(isHardLogout(401, null)).toBe(false);
  });
  it("is true when the server marks the session as wiped, even with soft_logout", () => {
    expect(isHardLogout(401, { errcode: "M_UNKNOWN_TOKEN", soft_logout: true, "de.amtsbote.wiped": true })).toBe(true);
    expect(isWipe({ errcode: "M_UNKNOWN_TOKEN", "de.amtsbote.wiped": true })).toBe(true);
    expect(isWipe({ errcode: "M_UNKNOWN_TOKEN" })).toBe(false);
  });
});

describe("wipeLocalData", () => {
  it("deletes every IndexedDB database (listed and the crypto store), caches, storage and the push subscription", async () => {
    const { env, idb, local, session, caches, unsubscribe } = fakeEnv();
    const report = await wipeLocalData(env);
    expect(idb.deleted.sort()).toEqual([...new Set(["other-db", ...KNOWN_DATABASES])].sort());
    expect(caches.delete).toHaveBeenCalledWith("amtsbote-shell-abc");
    expect(caches.delete).toHaveBeenCalledWith("amtsbote-shell-def");
    expect(report.caches).toEqual(["amtsbote-shell-abc", "amtsbote-shell-def"]);
    expect(local.clear).toHaveBeenCalled();
    expect(session.clear).toHaveBeenCalled();
    expect(unsubscribe).toHaveBeenCalled();
    expect(report.push).toBe(true);
    expect(report.errors).toEqual([]);
  });
  it("deletes the known crypto databases when the browser cannot list databases", async () => {
    const idb = fakeIdb([]);
    delete (idb as any).databases;
    await wipeLocalData({ indexedDB: idb as any });
    expect(idb.deleted.sort()).toEqual([...KNOWN_DATABASES].sort());
  });
  it("goes on after a failing part and reports it", async () => {
    const { env, local } = fakeEnv();
    env.caches = { keys: async () => Promise.reject(new Error("no caches")), delete: async () => false } as any;
    env.pushSubscription = async () => null;
    const report = await wipeLocalData(env);
    expect(report.errors).toEqual(["caches: no caches"]);
    expect(local.clear).toHaveBeenCalled();
    expect(report.push).toBe(false);
  });
  it("does not wait for a database another tab still holds open", async () => {
    const idb = fakeIdb(["held"], ["held"]);
    const report = await wipeLocalData({ indexedDB: idb as any });
    expect(report.databases).toContain("held");
  });
});

describe("reportAuthError", () => {
  it("calls the app's handler only for a hard logout", () => {
    const seen: unknown[] = [];
    onHardLogout((b) => seen.push(b));
    expect(reportAuthError(401, { errcode: "M_UNKNOWN_TOKEN", soft_logout: true })).toBe(false);
    expect(reportAuthError(403, { errcode: "M_FORBIDDEN" })).toBe(false);
    expect(reportAuthError(401, { errcode: "M_UNKNOWN_TOKEN", "de.amtsbote.wiped": true })).toBe(true);
    expect(seen).toEqual([{ errcode: "M_UNKNOWN_TOKEN", "de.amtsbote.wiped": true }]);
    onHardLogout(null);
  });
});
