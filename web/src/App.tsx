import { useEffect, useRef, useState } from "react";
import { ClientEvent, HttpApiEvent, SyncState, type MatrixClient, type MatrixError } from "matrix-js-sdk";
import { t } from "./i18n";
import { loadSession, makeClient, saveSession, setNotice, startClient, takeNotice, type Session } from "./matrix";
import { Login } from "./components/Login";
import { ChatApp } from "./components/ChatApp";
import { Register } from "./components/Register";
import { AdminConsole } from "./components/admin/AdminConsole";
import { AdminApi } from "./lib/adminApi";
import { isHardLogout, isWipe, onHardLogout, wipeLocalData, type AuthErrorBody } from "./lib/wipe";

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const h = () => setHash(window.location.hash);
    window.addEventListener("hashchange", h);
    return () => window.removeEventListener("hashchange", h);
  }, []);
  return hash;
}

/** The token of an invite link (#/register?token=…), or null if this is no sign-up link. */
function registerToken(hash: string): string | null {
  const m = hash.match(/^#\/register(?:\?(.*))?$/);
  if (!m) return null;
  return new URLSearchParams(m[1] ?? "").get("token") ?? "";
}

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [client, setClient] = useState<MatrixClient | null>(null);
  const [isAdmin, setIsAdmin] = useState(false);
  const hash = useHash();
  const ending = useRef(false);
  const [notice, setNoticeText] = useState<string | null>(() => {
    const key = takeNotice();
    return key ? t(key) : null;
  });

  useEffect(() => {
    if (!session) return;
    const c = makeClient(session);
    setClient(c);
    startClient(c).catch(() => undefined);
    // The admin console is offered to server admins only: /status answers 403 to everyone else.
    let live = true;
    void new AdminApi(session.baseUrl, session.accessToken).isAdmin().then((a) => live && setIsAdmin(a), () => live && setIsAdmin(false));
    return () => {
      live = false;
      c.stopClient();
      c.removeAllListeners();
    };
  }, [session]);

  const endSession = (noticeKey: string) => {
    saveSession(null);
    setClient(null);
    setSession(null);
    setNoticeText(t(noticeKey));
    // Reload so that no state of the old account stays in memory.
    setNotice(noticeKey);
    window.location.hash = "";
    window.location.reload();
  };

  // The server ended this session. For good (soft_logout false, e.g. an admin signed the device out or wiped it):
  // delete everything stored locally, then show the sign-in page with a notice.
  const sessionGone = async (body: AuthErrorBody, status: number) => {
    if (ending.current) return;
    ending.current = true;
    if (client) {
      client.stopClient();
      await client.clearStores().catch(() => undefined);
    }
    if (isHardLogout(status, body)) await wipeLocalData();
    endSession(isWipe(body) ? "login.wiped" : "login.revoked");
  };
  const goneRef = useRef(sessionGone);
  goneRef.current = sessionGone;

  useEffect(() => {
    onHardLogout((body) => void goneRef.current(body, 401));
    return () => onHardLogout(null);
  }, []);
  useEffect(() => {
    if (!client) return;
    const onLoggedOut = (err: MatrixError) => void goneRef.current((err.data ?? { errcode: err.errcode }) as AuthErrorBody, err.httpStatus ?? 401);
    // A locked account (401 M_USER_LOCKED, a soft logout): sessions end with a clear message, local data stays.
    const onSync = (state: SyncState, _prev: SyncState | null, data?: { error?: Error }) => {
      if (state === SyncState.Error && (data?.error as MatrixError | undefined)?.errcode === "M_USER_LOCKED" && !ending.current) {
        ending.current = true;
        client.stopClient();
        endSession("login.locked");
      }
    };
    client.on(HttpApiEvent.SessionLoggedOut, onLoggedOut);
    client.on(ClientEvent.Sync, onSync);
    return () => {
      client.off(HttpApiEvent.SessionLoggedOut, onLoggedOut);
      client.off(ClientEvent.Sync, onSync);
    };
  }, [client]);

  const signedIn = async (s: Session) => {
    // A new sign-in is a new device: drop any crypto store of an earlier session in this browser.
    await makeClient(s).clearStores().catch(() => undefined);
    saveSession(s);
    setNoticeText(null);
    setSession(s);
  };

  if (!session || !client) {
    const token = registerToken(hash);
    if (token !== null && !session) {
      return <Register token={token} onRegistered={(s) => ((window.location.hash = "#/"), void signedIn(s))} />;
    }
    return <Login notice={notice} onLoggedIn={signedIn} />;
  }
  if (hash.startsWith("#/admin") && isAdmin) {
    return <AdminConsole baseUrl={session.baseUrl} accessToken={session.accessToken} me={session.userId} hash={hash} />;
  }
  return (
    <ChatApp
      client={client}
      isAdmin={isAdmin}
      onLogout={async () => {
        try {
          await client.logout(true);
        } catch {
          /* token may already be invalid; sign out locally anyway */
        }
        await client.clearStores().catch(() => undefined);
        endSession("login.signedOut");
      }}
    />
  );
}
