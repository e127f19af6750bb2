import { useEffect, useState } from "react";
import type { MatrixClient } from "matrix-js-sdk";
import { t } from "./i18n";
import { loadSession, makeClient, saveSession, setNotice, startClient, takeNotice, type Session } from "./matrix";
import { Login } from "./components/Login";
import { ChatApp } from "./components/ChatApp";

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [client, setClient] = useState<MatrixClient | null>(null);
  const [notice, setNoticeText] = useState<string | null>(() => {
    const key = takeNotice();
    return key ? t(key) : null;
  });

  useEffect(() => {
    if (!session) return;
    const c = makeClient(session);
    setClient(c);
    startClient(c).catch(() => undefined);
    return () => {
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

  if (!session || !client) {
    return (
      <Login
        notice={notice}
        onLoggedIn={async (s) => {
          // A new sign-in is a new device: drop any crypto store of an earlier session in this browser.
          await makeClient(s).clearStores().catch(() => undefined);
          saveSession(s);
          setNoticeText(null);
          setSession(s);
        }}
      />
    );
  }
  return (
    <ChatApp
      client={client}
      onRevoked={() => endSession("login.revoked")}
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
