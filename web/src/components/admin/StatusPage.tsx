import { formatNumber, t } from "../../i18n";
import type { ServerStatus } from "../../lib/adminApi";
import { OutcomeText, useAction, useAdmin, when } from "./common";

function duration(ms: number): string {
  const min = Math.floor(ms / 60_000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  return `${d > 0 ? `${d} d ` : ""}${h} h ${min % 60} min`;
}

/** Server facts from /status, and the directory (LDAP) sync when it is set up. */
export function StatusPage({ status, reload }: { status: ServerStatus; reload: () => void }) {
  const { api } = useAdmin();
  const action = useAction();
  const ldap = status.ldap;
  return (
    <>
      <dl className="admin-facts">
        <dt>{t("status.server")}</dt>
        <dd>{status.server_name}</dd>
        <dt>{t("status.version")}</dt>
        <dd>{status.version}</dd>
        <dt>{t("status.uptime")}</dt>
        <dd>{duration(status.uptime_ms)}</dd>
        <dt>{t("status.database")}</dt>
        <dd>{status.database === "postgresql" ? "PostgreSQL" : status.database === "sqlite" ? "SQLite" : status.database}</dd>
        <dt>{t("status.users")}</dt>
        <dd>{formatNumber(status.users)}</dd>
        <dt>{t("status.rooms")}</dt>
        <dd>{formatNumber(status.rooms)}</dd>
      </dl>
      <button type="button" className="btn small" onClick={reload}>
        {t("admin.refresh")}
      </button>
      {/* Only when a directory is configured (/status reports ldap: null otherwise). */}
      {ldap && (
        <section className="admin-box" aria-labelledby="ldap-h">
          <h3 id="ldap-h">{t("status.ldap")}</h3>
          <dl className="admin-facts">
            <dt>{t("status.ldapLastSync")}</dt>
            <dd>{when(ldap.last_sync_ts)}</dd>
            <dt>{t("status.ldapLastResult")}</dt>
            <dd>
              <code>{ldap.last_result ? JSON.stringify(ldap.last_result) : "—"}</code>
            </dd>
          </dl>
          <OutcomeText outcome={action.message} />
          <button
            type="button"
            className="btn primary"
            disabled={action.busy}
            onClick={() =>
              void action.run(async () => {
                const result = await api.ldapSync();
                reload();
                return `${t("status.ldapSynced")} ${JSON.stringify(result)}`;
              })
            }
          >
            {t("status.ldapSync")}
          </button>
        </section>
      )}
    </>
  );
}
