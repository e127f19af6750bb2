import { useEffect, useId, useState } from "react";
import { createClient } from "matrix-js-sdk";
import { rememberSignInPassword } from "../crypto";
import { t } from "../i18n";
import { defaultBaseUrl, type Session } from "../matrix";
import { RegisterError, registerWithToken, tokenValid, type RegisterFailure } from "../lib/register";

function failureText(f: RegisterFailure): string {
  switch (f.kind) {
    case "taken":
      return t("register.taken");
    case "badUsername":
      return t("register.badUsername");
    case "weakPassword":
      return t("register.weak", { message: f.message });
    case "tokenRejected":
      return t("register.tokenRejected");
    case "unsupported":
      return t("register.unsupported");
    default:
      return t("register.error", { message: f.message });
  }
}

/** Sign-up page of an invite link (#/register?token=…): checks the token, then creates the account and signs in. */
export function Register({ token, onRegistered }: { token: string; onRegistered: (s: Session) => void }) {
  const baseUrl = defaultBaseUrl().replace(/\/$/, "");
  const [valid, setValid] = useState<boolean | null>(token ? null : false);
  const [username, setUsername] = useState("");
  const [displayname, setDisplayname] = useState("");
  const [password, setPassword] = useState("");
  const [password2, setPassword2] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { user: useId(), userHint: useId(), name: useId(), pass: useId(), pass2: useId() };

  useEffect(() => {
    if (!token) return;
    let live = true;
    tokenValid(baseUrl, token).then(
      (v) => live && setValid(v),
      () => live && setValid(false),
    );
    return () => {
      live = false;
    };
  }, [token, baseUrl]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (password !== password2) {
      setError(t("register.mismatch"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await registerWithToken(baseUrl, { username, password, token, deviceName: "Amtsbote Web" });
      const session: Session = { baseUrl, userId: r.user_id, accessToken: r.access_token, deviceId: r.device_id };
      if (displayname.trim()) {
        const c = createClient({ baseUrl, accessToken: r.access_token, userId: r.user_id });
        await c.setDisplayName(displayname.trim()).catch(() => undefined);
      }
      // The sign-in password also confirms the first upload of the encryption identity (see crypto.ts).
      rememberSignInPassword(password);
      onRegistered(session);
    } catch (err) {
      setError(err instanceof RegisterError ? failureText(err.failure) : t("login.unreachable"));
      setBusy(false);
    }
  };

  const toLogin = (
    <a href="#/" className="btn">
      {t("register.toLogin")}
    </a>
  );
  return (
    <main className="login" id="main">
      <form className="login-card form" onSubmit={submit} aria-busy={busy}>
        <img src="/icons/icon.svg" alt="" width={64} height={64} className="login-logo" />
        <h1>{t("register.title")}</h1>
        {valid === null && <p role="status">{t("register.checking")}</p>}
        {valid === false && (
          <>
            <p className="error" role="alert">
              {token ? t("register.invalid") : t("register.noToken")}
            </p>
            {toLogin}
          </>
        )}
        {valid && (
          <>
            <p>{t("register.intro")}</p>
            <label htmlFor={ids.user}>{t("register.username")}</label>
            <input id={ids.user} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus autoCapitalize="none" aria-describedby={ids.userHint} pattern="[a-z0-9._=\-\/]+" />
            <p className="hint" id={ids.userHint}>
              {t("register.usernameHint")}
            </p>
            <label htmlFor={ids.name}>{t("register.displayname")}</label>
            <input id={ids.name} name="displayname" autoComplete="name" value={displayname} onChange={(e) => setDisplayname(e.target.value)} />
            <label htmlFor={ids.pass}>{t("register.password")}</label>
            <input id={ids.pass} name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            <label htmlFor={ids.pass2}>{t("register.password2")}</label>
            <input id={ids.pass2} name="password2" type="password" autoComplete="new-password" value={password2} onChange={(e) => setPassword2(e.target.value)} required />
            {error && (
              <p className="error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="btn primary" disabled={busy}>
              {busy ? t("register.busy") : t("register.submit")}
            </button>
          </>
        )}
      </form>
    </main>
  );
}
