/** Encryption UI: backup & recovery, emoji verification, and the notice about a contact's new device. */
import { useEffect, useState } from "react";
import type { MatrixClient } from "matrix-js-sdk";
import {
  CryptoEvent,
  VerificationPhase,
  VerificationRequestEvent,
  VerifierEvent,
  type ShowSasCallbacks,
  type VerificationRequest,
} from "matrix-js-sdk/lib/crypto-api/index.js";
import { getLocale, t } from "../i18n";
import { SAS_EMOJI_DE } from "../i18n/sasEmoji";
import { errorMessage } from "../matrix";
import { WrongRecoveryKey, backupStatus, restoreWithRecoveryKey, setUpSecureBackup, type BackupStatus } from "../crypto";
import { Dialog } from "./Dialogs";

/** Settings section "Backup & recovery": set up secure backup, or restore on this device with the recovery key. */
export function BackupDialog({ client, onClose }: { client: MatrixClient; onClose: () => void }) {
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [password, setPassword] = useState("");
  const [recoveryKey, setRecoveryKey] = useState("");
  const [shownKey, setShownKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const refresh = () => void backupStatus(client).then(setStatus, () => undefined);
  useEffect(refresh, [client]);

  const setUp = async () => {
    setBusy(true);
    setError(null);
    try {
      setShownKey(await setUpSecureBackup(client, password));
      setPassword("");
    } catch (e) {
      setError(t("backup.error", { message: errorMessage(e) }));
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      const count = await restoreWithRecoveryKey(client, recoveryKey);
      setRecoveryKey("");
      setMessage(t("backup.restored", { count }));
    } catch (e) {
      setError(e instanceof WrongRecoveryKey ? t("backup.wrongKey") : t("backup.error", { message: errorMessage(e) }));
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const copy = async () => {
    if (!shownKey) return;
    try {
      await navigator.clipboard.writeText(shownKey);
      setCopied(true);
    } catch {
      /* clipboard not allowed: the key stays visible to copy by hand */
    }
  };

  // The account has secure backup (secret storage) but this device lacks its keys: offer the recovery key.
  const canRestore = !!status && status.secretStorageReady && (!status.crossSigningReady || !status.backupActive) && !shownKey && !message;
  const isSetUp = !!shownKey || !!message || (!!status && status.secretStorageReady && status.crossSigningReady && status.backupActive);
  const canSetUp = !!status && !status.secretStorageReady && !shownKey;
  return (
    <Dialog title={t("menu.security")} onClose={onClose} className="backup-dialog">
      <p>{t("backup.intro")}</p>
      {status && <p className="backup-status" role="status">{isSetUp ? t("backup.statusOn") : canRestore ? t("backup.statusRestore") : t("backup.statusOff")}</p>}
      {shownKey && (
        <div className="recovery-key-box">
          <p>{t("backup.keyShown")}</p>
          <code className="recovery-key" aria-label={t("backup.recoveryKey")}>
            {shownKey}
          </code>
          <button type="button" className="btn small" onClick={() => void copy()}>
            {copied ? t("backup.copied") : t("backup.copy")}
          </button>
        </div>
      )}
      {canSetUp && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void setUp();
          }}
        >
          <label>
            {t("backup.password")}
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          <button type="submit" className="btn primary" disabled={busy || !password}>
            {busy ? t("backup.busy") : t("backup.setUp")}
          </button>
        </form>
      )}
      {canRestore && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void restore();
          }}
        >
          <label>
            {t("backup.recoveryKey")}
            <input type="text" autoComplete="off" spellCheck={false} value={recoveryKey} onChange={(e) => setRecoveryKey(e.target.value)} required />
          </label>
          <button type="submit" className="btn primary" disabled={busy || !recoveryKey.trim()}>
            {busy ? t("backup.busy") : t("backup.restore")}
          </button>
        </form>
      )}
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function emojiName(name: string): string {
  return getLocale() === "de" ? (SAS_EMOJI_DE[name] ?? name) : name;
}

/** Runs one verification request (ours or someone else's) through accept → emoji → done. */
export function VerificationDialog({ client, request, onClose }: { client: MatrixClient; request: VerificationRequest; onClose: () => void }) {
  const [, setTick] = useState(0);
  const [sas, setSas] = useState<ShowSasCallbacks | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const other = request.otherUserId;
  const name = client.getUser(other)?.displayName || other;

  useEffect(() => {
    let started = false;
    const runVerifier = () => {
      const verifier = request.verifier;
      if (!verifier || started) return;
      started = true;
      verifier.on(VerifierEvent.ShowSas, (s) => setSas(s));
      const existing = verifier.getShowSasCallbacks();
      if (existing) setSas(existing);
      verifier.verify().catch((e) => {
        if (request.phase !== VerificationPhase.Cancelled) setError(errorMessage(e));
      });
    };
    const onChange = () => {
      setTick((n) => n + 1);
      // The side that initiated starts the emoji exchange once the other side accepted.
      if (request.phase === VerificationPhase.Ready && request.initiatedByMe && !started) {
        request.startVerification("m.sas.v1").then(runVerifier, (e) => setError(errorMessage(e)));
      }
      if (request.phase === VerificationPhase.Started) runVerifier();
    };
    request.on(VerificationRequestEvent.Change, onChange);
    onChange();
    return () => {
      request.off(VerificationRequestEvent.Change, onChange);
    };
  }, [request]);

  const close = () => {
    if (request.pending) void request.cancel().catch(() => undefined);
    onClose();
  };

  let body;
  if (request.phase === VerificationPhase.Done) {
    body = <p role="status">{request.isSelfVerification ? t("verify.doneSelf") : t("verify.done", { name })}</p>;
  } else if (request.phase === VerificationPhase.Cancelled) {
    body = <p role="alert">{t("verify.cancelled")}</p>;
  } else if (sas?.sas.emoji && !confirmed) {
    body = (
      <>
        <p>{t("verify.compare")}</p>
        <ol className="sas-emoji">
          {sas.sas.emoji.map(([emoji, label], i) => (
            <li key={i}>
              <span className="sas-symbol" aria-hidden="true">
                {emoji}
              </span>
              <span className="sas-name">{emojiName(label)}</span>
            </li>
          ))}
        </ol>
        <div className="actions">
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              setConfirmed(true);
              void sas.confirm().catch((e) => setError(errorMessage(e)));
            }}
          >
            {t("verify.match")}
          </button>
          <button type="button" className="btn" onClick={() => sas.mismatch()}>
            {t("verify.noMatch")}
          </button>
        </div>
      </>
    );
  } else if (confirmed) {
    body = <p role="status">{t("verify.otherSide")}</p>;
  } else if (!request.initiatedByMe && request.phase === VerificationPhase.Requested) {
    body = (
      <>
        <p>{request.isSelfVerification ? t("verify.incomingSelf") : t("verify.incoming", { name })}</p>
        <div className="actions">
          <button type="button" className="btn primary" disabled={request.accepting} onClick={() => void request.accept().catch((e) => setError(errorMessage(e)))}>
            {t("verify.accept")}
          </button>
          <button type="button" className="btn" onClick={close}>
            {t("verify.decline")}
          </button>
        </div>
      </>
    );
  } else {
    body = <p role="status">{t("verify.waiting", { name: request.isSelfVerification ? t("verify.otherDevice") : name })}</p>;
  }
  return (
    <Dialog title={t("verify.title")} onClose={close} className="verify-dialog">
      {body}
      {error && (
        <p className="error" role="alert">
          {t("backup.error", { message: error })}
        </p>
      )}
    </Dialog>
  );
}

/** Incoming verification requests (from a contact or from another of my devices). */
export function useIncomingVerification(client: MatrixClient): [VerificationRequest | null, (r: VerificationRequest | null) => void] {
  const [request, setRequest] = useState<VerificationRequest | null>(null);
  useEffect(() => {
    const onRequest = (r: VerificationRequest) => {
      if (!r.initiatedByMe && r.phase === VerificationPhase.Requested) setRequest(r);
    };
    client.on(CryptoEvent.VerificationRequestReceived, onRequest);
    return () => {
      client.off(CryptoEvent.VerificationRequestReceived, onRequest);
    };
  }, [client]);
  return [request, setRequest];
}

const KNOWN_DEVICES = "amtsbote.knownDevices";

function loadKnown(me: string): Record<string, string[]> {
  try {
    return JSON.parse(localStorage.getItem(`${KNOWN_DEVICES}.${me}`) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

function saveKnown(me: string, known: Record<string, string[]>): void {
  localStorage.setItem(`${KNOWN_DEVICES}.${me}`, JSON.stringify(known));
}

/**
 * Contacts among the given users who have a device we have not seen before and that is not verified.
 * The first time a user is seen, their devices count as known (nothing to compare with yet).
 */
export function useNewDevices(client: MatrixClient, userIds: string[]): { users: string[]; dismiss: (userId: string) => void } {
  const [users, setUsers] = useState<string[]>([]);
  const me = client.getUserId()!;
  const key = userIds.filter((u) => u !== me).sort().join(",");
  useEffect(() => {
    const crypto = client.getCrypto();
    if (!crypto || !key) {
      setUsers([]);
      return;
    }
    let live = true;
    const others = key.split(",");
    const check = async () => {
      const map = await crypto.getUserDeviceInfo(others, true);
      const known = loadKnown(me);
      const flagged: string[] = [];
      for (const u of others) {
        const devices = [...(map.get(u)?.keys() ?? [])];
        if (!known[u]) {
          if (devices.length) known[u] = devices;
          continue;
        }
        for (const d of devices) {
          if (known[u].includes(d)) continue;
          const status = await crypto.getDeviceVerificationStatus(u, d);
          if (!status?.isVerified()) {
            flagged.push(u);
            break;
          }
        }
      }
      saveKnown(me, known);
      if (live) setUsers(flagged);
    };
    const run = () => void check().catch(() => undefined);
    run();
    const onUpdate = (changed: string[]) => {
      if (changed.some((u) => others.includes(u))) run();
    };
    client.on(CryptoEvent.DevicesUpdated, onUpdate);
    client.on(CryptoEvent.UserTrustStatusChanged, run);
    return () => {
      live = false;
      client.off(CryptoEvent.DevicesUpdated, onUpdate);
      client.off(CryptoEvent.UserTrustStatusChanged, run);
    };
  }, [client, key]);

  const dismiss = (userId: string) => {
    const crypto = client.getCrypto();
    setUsers((u) => u.filter((x) => x !== userId));
    void crypto?.getUserDeviceInfo([userId]).then((map) => {
      const known = loadKnown(me);
      known[userId] = [...(map.get(userId)?.keys() ?? [])];
      saveKnown(me, known);
    });
  };
  return { users, dismiss };
}

/** Whether the user is verified via cross-signing (null: unknown or no user given). */
export function useUserVerified(client: MatrixClient, userId: string | null): boolean | null {
  const [verified, setVerified] = useState<boolean | null>(null);
  useEffect(() => {
    const crypto = client.getCrypto();
    if (!crypto || !userId) {
      setVerified(null);
      return;
    }
    let live = true;
    const run = () =>
      void crypto.getUserVerificationStatus(userId).then(
        (s) => live && setVerified(s.isCrossSigningVerified()),
        () => undefined,
      );
    run();
    const onChange = (u: string) => {
      if (u === userId) run();
    };
    client.on(CryptoEvent.UserTrustStatusChanged, onChange);
    return () => {
      live = false;
      client.off(CryptoEvent.UserTrustStatusChanged, onChange);
    };
  }, [client, userId]);
  return verified;
}
