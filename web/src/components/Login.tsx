import { useId, useState } from "react";
import { rememberSignInPassword } from "../crypto";
import { t } from "../i18n";
import { defaultBaseUrl, login, type Session } from "../matrix";

export function Login({ notice, onLoggedIn }: { notice: string | null; onLoggedIn: (s: Session) => void }) {
  const [server, setServer] = useState(defaultBaseUrl());
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { server: useId(), user: useId(), pass: useId() };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await login(server.replace(/\/$/, ""), username, password);
      rememberSignInPassword(password);
      onLoggedIn(session);
    } catch (err: any) {
      if (err?.errcode === "M_USER_LOCKED") setError(t("login.locked"));
      else if (err?.errcode === "M_USER_DEACTIVATED") setError(t("login.deactivated"));
      else if (err?.errcode === "M_FORBIDDEN" || err?.httpStatus === 403) setError(t("login.failed"));
      else if (err?.errcode === "M_LIMIT_EXCEEDED" || err?.httpStatus === 429) setError(t("login.rateLimited"));
      else if (err?.name === "ConnectionError" || err instanceof TypeError || !err?.httpStatus) setError(t("login.unreachable"));
      else setError(t("login.error", { message: err?.data?.error ?? err?.message ?? String(err) }));
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <form className="login-card form" onSubmit={submit}>
        <img src="/icons/icon.svg" alt="" width={64} height={64} className="login-logo" />
        <h1>{t("app.name")}</h1>
        <p>{t("login.intro")}</p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label htmlFor={ids.user}>{t("login.username")}</label>
        <input id={ids.user} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus autoCapitalize="none" />
        <label htmlFor={ids.pass}>{t("login.password")}</label>
        <input id={ids.pass} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        <details>
          <summary>{t("login.server")}</summary>
          <label htmlFor={ids.server}>{t("login.server")}</label>
          <input id={ids.server} name="server" type="url" value={server} onChange={(e) => setServer(e.target.value)} required />
        </details>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
