import { useEffect, useId, useState } from "react";
import { t } from "../../i18n";
import type { AuditEntry, AuditFilter, AuditVerify } from "../../lib/adminApi";
import { LoadState, OutcomeText, useAction, useAdmin, useLoad, when } from "./common";

function details(d: unknown): string {
  if (d === null || d === undefined) return "";
  return typeof d === "string" ? d : JSON.stringify(d);
}

/** The audit log: filter, page through (newest first), export as CSV/JSON, verify the hash chain. */
export function AuditPage() {
  const { api } = useAdmin();
  const [form, setForm] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const page = useLoad(() => api.audit(filter), [api, filter]);
  const [extra, setExtra] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | undefined>();
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const action = useAction();
  const id = useId();
  useEffect(() => {
    setExtra([]);
    setNext(page.data?.next_from);
  }, [page.data]);
  const more = async () => {
    try {
      const p = await api.audit({ ...filter, from: next });
      setExtra((x) => [...x, ...p.entries]);
      setNext(p.next_from);
    } catch (e) {
      void action.run(() => Promise.reject(e));
    }
  };
  const download = (format: "csv" | "json") =>
    void action.run(async () => {
      const blob = await api.auditExport(format);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `amtsbote-audit-${new Date().toISOString().slice(0, 10)}.${format}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  const runVerify = () =>
    void action.run(async () => {
      setVerify(null);
      setVerify(await api.auditVerify());
    });
  const entries = [...(page.data?.entries ?? []), ...extra];
  const field = (k: keyof AuditFilter, label: string) => (
    <>
      <label htmlFor={`${id}-${k}`}>{label}</label>
      <input id={`${id}-${k}`} value={form[k] ?? ""} onChange={(e) => setForm({ ...form, [k]: e.target.value })} autoComplete="off" />
    </>
  );
  return (
    <>
      <p>{t("audit.intro")}</p>
      <div className="admin-actions">
        <button type="button" className="btn" onClick={runVerify} disabled={action.busy}>
          {t("audit.verify")}
        </button>
        <button type="button" className="btn" onClick={() => download("csv")} disabled={action.busy}>
          {t("audit.exportCsv")}
        </button>
        <button type="button" className="btn" onClick={() => download("json")} disabled={action.busy}>
          {t("audit.exportJson")}
        </button>
      </div>
      {verify && (
        <p className={verify.ok ? "admin-ok" : "error"} role={verify.ok ? "status" : "alert"}>
          {verify.ok ? t("audit.verifyOk", { count: verify.entries }) : t("audit.verifyBroken", { seq: verify.first_broken_seq, reason: verify.reason, count: verify.entries })}
        </p>
      )}
      {action.message && !action.message.ok && <OutcomeText outcome={action.message} />}
      <form
        className="form admin-filter"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ action: form.action?.trim(), actor: form.actor?.trim(), target: form.target?.trim() });
        }}
      >
        {field("action", t("audit.action"))}
        {field("actor", t("audit.actor"))}
        {field("target", t("audit.target"))}
        <button type="submit" className="btn">
          {t("audit.filter")}
        </button>
      </form>
      <LoadState loading={page.loading} error={page.error} />
      {page.data && entries.length === 0 && <p>{t("audit.none")}</p>}
      {entries.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("audit.colTime")}</th>
              <th scope="col">{t("audit.actor")}</th>
              <th scope="col">{t("audit.colIp")}</th>
              <th scope="col">{t("audit.action")}</th>
              <th scope="col">{t("audit.target")}</th>
              <th scope="col">{t("audit.colDetails")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{when(e.ts)}</td>
                <td>{e.actor}</td>
                <td>{e.ip ?? ""}</td>
                <th scope="row">{e.action}</th>
                <td>{e.target ?? ""}</td>
                <td className="admin-details">{details(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== undefined && next !== null && (
        <button type="button" className="btn" onClick={() => void more()}>
          {t("admin.more")}
        </button>
      )}
    </>
  );
}

