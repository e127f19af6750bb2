import { useId, useRef, useState } from "react";
import { t } from "../../i18n";
import { newTxnId, toUserId } from "../../lib/adminApi";
import { ConfirmDialog, OutcomeText, useAction, useAdmin } from "./common";

/** Server notices to all active accounts or to selected ones. */
export function NoticesPage() {
  const { api, serverName } = useAdmin();
  const [body, setBody] = useState("");
  const [all, setAll] = useState(true);
  const [recipients, setRecipients] = useState("");
  const [confirm, setConfirm] = useState(false);
  const action = useAction();
  const id = useId();
  // One transaction id per notice being composed: a double click or a retry after a network error sends with
  // the same id, so the server sends at most once; changing the text or the recipients makes it a new notice.
  const txnId = useRef(newTxnId());
  const renewTxn = () => {
    txnId.current = newTxnId();
  };
  const changed =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      renewTxn();
    };
  const userIds = () =>
    recipients
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => toUserId(s, serverName));
  const send = async () => {
    const r = await api.sendNotice(txnId.current, body.trim(), all ? undefined : userIds());
    renewTxn();
    setBody("");
    return t("notices.sent", { count: r.sent });
  };
  return (
    <>
      <p>{t("notices.intro")}</p>
      <form
        className="form admin-box"
        onSubmit={(e) => {
          e.preventDefault();
          if (all) setConfirm(true);
          else void action.run(send);
        }}
      >
        <label htmlFor={`${id}-b`}>{t("notices.body")}</label>
        <textarea id={`${id}-b`} rows={4} value={body} onChange={(e) => changed(setBody)(e.target.value)} required />
        <fieldset>
          <legend className="sr-only">{t("notices.recipients")}</legend>
          <label className="check">
            <input type="radio" name={`${id}-to`} checked={all} onChange={() => changed(setAll)(true)} /> {t("notices.toAll")}
          </label>
          <label className="check">
            <input type="radio" name={`${id}-to`} checked={!all} onChange={() => changed(setAll)(false)} /> {t("notices.toSome")}
          </label>
        </fieldset>
        {!all && (
          <>
            <label htmlFor={`${id}-r`}>{t("notices.recipients")}</label>
            <textarea id={`${id}-r`} rows={3} value={recipients} onChange={(e) => changed(setRecipients)(e.target.value)} required />
          </>
        )}
        <OutcomeText outcome={action.message} />
        <button type="submit" className="btn primary" disabled={action.busy || !body.trim()}>
          {t("notices.send")}
        </button>
      </form>
      {confirm && <ConfirmDialog title={t("notices.send")} text={t("notices.confirmAll")} confirmLabel={t("notices.send")} onClose={() => setConfirm(false)} onConfirm={async () => {
            const text = await send();
            await action.run(async () => text);
          }} />}
    </>
  );
}
