/** Shared pieces of the admin console: error texts, loading state, confirmation dialog, small formatters. */
import { createContext, useCallback, useContext, useEffect, useId, useState, type ReactNode } from "react";
import { formatDateTime, t } from "../../i18n";
import { AdminApi, AdminError } from "../../lib/adminApi";
import { Dialog } from "../Dialogs";

export interface AdminCtx {
  api: AdminApi;
  serverName: string;
  me: string;
  origin: string;
}
export const AdminContext = createContext<AdminCtx | null>(null);
export function useAdmin(): AdminCtx {
  return useContext(AdminContext)!;
}

/** A plain-language message for a failed admin call (Matrix errcode → text). */
export function adminErrorText(e: unknown): string {
  if (e instanceof AdminError) {
    switch (e.errcode) {
      case "M_FORBIDDEN":
        // The server's reason matters here (e.g. "cannot demote yourself"), so it is shown with the text.
        return `${t("admin.err.forbidden")} (${e.message})`;
      case "M_NOT_FOUND":
        return t("admin.err.notFound");
      case "M_UNRECOGNIZED":
        return t("admin.err.unrecognized");
      case "M_LIMIT_EXCEEDED":
        return t("admin.err.rateLimited");
      case "M_USER_IN_USE":
        return t("users.exists");
      case "M_INVALID_USERNAME":
        return t("register.badUsername");
      case "M_WEAK_PASSWORD":
        return t("register.weak", { message: e.message });
      case "M_INVALID_PARAM":
      case "M_BAD_JSON":
      case "M_MISSING_PARAM":
      case "M_NOT_JSON":
        return t("admin.err.invalid", { message: e.message });
    }
    if (e.status === 404 || e.status === 405) return t("admin.err.unrecognized");
    return t("admin.err.generic", { message: e.message });
  }
  if (e instanceof TypeError) return t("admin.err.unreachable");
  return t("admin.err.generic", { message: e instanceof Error ? e.message : String(e) });
}

/** Loads data with an API call; reload() runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (d) => live && (setData(d), setError(null), setLoading(false)),
      (e) => live && (setError(adminErrorText(e)), setLoading(false)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  return { data, error, loading, reload: useCallback(() => setN((x) => x + 1), []) };
}

/** Runs an action and keeps its outcome as a message (role=status on success, role=alert on failure). */
export function useAction(): {
  busy: boolean;
  message: Outcome | null;
  run: (fn: () => Promise<string | void>, errorText?: (e: unknown) => string) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Outcome | null>(null);
  // errorText: a page's own texts for errors it can explain better (falls back to adminErrorText).
  const run = async (fn: () => Promise<string | void>, errorText: (e: unknown) => string = adminErrorText) => {
    setBusy(true);
    setMessage(null);
    try {
      const ok = await fn();
      setMessage({ ok: true, text: ok || t("admin.done") });
      return true;
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, run, clear: () => setMessage(null) };
}
export interface Outcome {
  ok: boolean;
  text: string;
}

export function OutcomeText({ outcome }: { outcome: Outcome | null }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <p className="admin-ok" role="status">
      {outcome.text}
    </p>
  ) : (
    <p className="error" role="alert">
      {outcome.text}
    </p>
  );
}

export function LoadState({ loading, error }: { loading: boolean; error: string | null }) {
  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (loading) return <p role="status">{t("admin.loading")}</p>;
  return null;
}

/**
 * Confirmation for consequential acts. With `word`, the admin must type it (strong confirmation for deletions).
 * `children` can hold extra options (checkboxes); the confirm button runs onConfirm and closes on success.
 */
export function ConfirmDialog({
  title,
  text,
  confirmLabel,
  danger,
  word,
  children,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  confirmLabel: string;
  danger?: boolean;
  word?: string;
  children?: ReactNode;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const go = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(adminErrorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="form" onSubmit={go}>
        <p>{text}</p>
        {children}
        {word && (
          <>
            <label htmlFor={id}>{t("admin.typeToConfirm", { word })}</label>
            <input id={id} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus required />
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose} autoFocus={!word}>
            {t("admin.cancel")}
          </button>
          <button type="submit" className={`btn ${danger ? "danger" : "primary"}`} disabled={busy || (!!word && typed.trim() !== word)}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export const when = (ts: number | null | undefined) => (ts ? formatDateTime(ts) : t("admin.never"));
export const yesNo = (b: unknown) => (b ? t("admin.yes") : t("admin.no"));

/** Copy-to-clipboard button with a spoken confirmation. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn small"
        onClick={() =>
          void navigator.clipboard?.writeText(text).then(
            () => setDone(true),
            () => setDone(false),
          )
        }
      >
        {label ?? t("admin.copy")}
      </button>
      <span role="status" className="hint">
        {done ? t("admin.copied") : ""}
      </span>
    </>
  );
}
