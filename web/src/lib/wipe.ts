/**
 * Remote wipe on the client. When the server ends this device's session for good (401 M_UNKNOWN_TOKEN with
 * soft_logout false, which is what an admin's "wipe device" or "sign out device" answers), the client deletes
 * everything it stored: IndexedDB databases (incl. the Rust crypto store with the encryption keys), local and
 * session storage, the service worker's caches and the push subscription. One place for all of it, so nothing
 * is forgotten; the environment is passed in so the unit test can check each part.
 */

/** The Amtsbote extension field that marks a session ended by an admin's wipe. */
export const WIPED_FIELD = "de.amtsbote.wiped";

/** The body of a Matrix error response, as far as this module cares. */
export interface AuthErrorBody {
  errcode?: string;
  soft_logout?: boolean;
  [WIPED_FIELD]?: boolean;
}

/**
 * Whether a response means "this session is gone, delete local data": 401 M_UNKNOWN_TOKEN without soft logout
 * (soft_logout defaults to false in the spec), or explicitly marked as wiped.
 */
export function isHardLogout(status: number, body: AuthErrorBody | null | undefined): boolean {
  if (status !== 401 || !body || body.errcode !== "M_UNKNOWN_TOKEN") return false;
  return body[WIPED_FIELD] === true || body.soft_logout !== true;
}

/** Whether the server said this was a wipe (for the notice on the sign-in page). */
export function isWipe(body: AuthErrorBody | null | undefined): boolean {
  return body?.[WIPED_FIELD] === true;
}

/** The browser parts that hold local data. Missing parts (old browsers, tests) are skipped. */
export interface WipeEnv {
  indexedDB?: Pick<IDBFactory, "deleteDatabase"> & { databases?: () => Promise<{ name?: string }[]> };
  localStorage?: Pick<Storage, "clear">;
  sessionStorage?: Pick<Storage, "clear">;
  caches?: Pick<CacheStorage, "keys" | "delete">;
  /** Resolves to the current push subscription, if any. */
  pushSubscription?: () => Promise<{ unsubscribe(): Promise<boolean> } | null>;
}

/**
 * Databases to delete even when the browser cannot list them (indexedDB.databases() is missing in some
 * browsers): matrix-js-sdk's Rust crypto store and its meta store (prefix "matrix-js-sdk").
 */
export const KNOWN_DATABASES = ["matrix-js-sdk::matrix-sdk-crypto", "matrix-js-sdk::matrix-sdk-crypto-meta"];

/** What was deleted, for logs and tests. */
export interface WipeReport {
  databases: string[];
  caches: string[];
  storage: boolean;
  push: boolean;
  errors: string[];
}

function deleteDatabase(idb: NonNullable<WipeEnv["indexedDB"]>, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = idb.deleteDatabase(name);
    // "blocked" means another tab still has it open; the deletion finishes when that tab closes (or reloads,
    // which it does when it sees the same 401). Don't wait for it.
    const timer = setTimeout(resolve, 3000);
    req.onsuccess = () => (clearTimeout(timer), resolve());
    req.onerror = () => (clearTimeout(timer), reject(req.error ?? new Error(`cannot delete ${name}`)));
    req.onblocked = () => (clearTimeout(timer), resolve());
  });
}

/** Deletes all local data. Never throws: each part is tried, failures are collected in the report. */
export async function wipeLocalData(env: WipeEnv = browserEnv()): Promise<WipeReport> {
  const report: WipeReport = { databases: [], caches: [], storage: false, push: false, errors: [] };
  const attempt = async (what: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (e) {
      report.errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  // The push subscription first: it needs the service worker, and unsubscribing tells the push service to stop.
  if (env.pushSubscription) {
    await attempt("push", async () => {
      const sub = await env.pushSubscription!();
      if (sub) report.push = await sub.unsubscribe();
    });
  }
  const idb = env.indexedDB;
  if (idb) {
    let names: string[] = [];
    await attempt("list databases", async () => {
      if (idb.databases) names = (await idb.databases()).map((d) => d.name).filter((n): n is string => !!n);
    });
    for (const name of new Set([...names, ...KNOWN_DATABASES])) {
      await attempt(`database ${name}`, async () => {
        await deleteDatabase(idb, name);
        report.databases.push(name);
      });
    }
  }
  if (env.caches) {
    await attempt("caches", async () => {
      for (const key of await env.caches!.keys()) if (await env.caches!.delete(key)) report.caches.push(key);
    });
  }
  await attempt("storage", () => {
    env.localStorage?.clear();
    env.sessionStorage?.clear();
    report.storage = true;
  });
  return report;
}

/** The real browser's parts. */
export function browserEnv(): WipeEnv {
  const g = globalThis as any;
  return {
    indexedDB: g.indexedDB,
    localStorage: g.localStorage,
    sessionStorage: g.sessionStorage,
    caches: g.caches,
    pushSubscription:
      g.navigator?.serviceWorker && g.PushManager
        ? async () => {
            const reg = await g.navigator.serviceWorker.getRegistration();
            return reg?.pushManager ? reg.pushManager.getSubscription() : null;
          }
        : undefined,
  };
}

type HardLogoutListener = (body: AuthErrorBody) => void;
let listener: HardLogoutListener | null = null;

/** The app registers what to do when any request says the session is gone (sign out, wipe, reload). */
export function onHardLogout(fn: HardLogoutListener | null): void {
  listener = fn;
}

/**
 * Called by every request path outside matrix-js-sdk (e.g. the admin API) with the status and parsed error
 * body; fires the app's handler on a hard logout. Returns whether it did.
 */
export function reportAuthError(status: number, body: AuthErrorBody | null | undefined): boolean {
  if (!isHardLogout(status, body)) return false;
  listener?.(body!);
  return true;
}
