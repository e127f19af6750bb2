import { useState } from "react";
import { t } from "../../i18n";
import { mergeWhois, type Device } from "../../lib/adminApi";
import { ConfirmDialog, LoadState, OutcomeText, useAction, useAdmin, useLoad, when } from "./common";

type Pending = { kind: "signOut" | "wipe"; device: Device } | { kind: "signOutAll" } | null;

/** A user's devices with last seen / IP / client, sign-out and remote wipe, and the wipe history. */
export function DevicesPanel({ userId }: { userId: string }) {
  const { api } = useAdmin();
  const devices = useLoad(async () => {
    const [list, whois] = await Promise.all([api.listDevices(userId), api.whois(userId).catch(() => null)]);
    return mergeWhois(list.devices, whois);
  }, [api, userId]);
  const wipes = useLoad(() => api.listWipes(userId), [api, userId]);
  const [pending, setPending] = useState<Pending>(null);
  const action = useAction();
  const label = (d: Device) => d.display_name || d.device_id;
  const refresh = async (text: string) => {
    devices.reload();
    wipes.reload();
    return text;
  };
  const list = devices.data ?? [];
  return (
    <section aria-labelledby="devices-h">
      <h3 id="devices-h">{t("devices.title")}</h3>
      <LoadState loading={devices.loading} error={devices.error} />
      <OutcomeText outcome={action.message} />
      {devices.data && list.length === 0 && <p>{t("devices.none")}</p>}
      {list.length > 0 && (
        <>
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t("devices.colDevice")}</th>
                <th scope="col">{t("devices.colSeen")}</th>
                <th scope="col">{t("devices.colIp")}</th>
                <th scope="col">{t("devices.colClient")}</th>
                <th scope="col">{t("devices.colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => {
                const c = d.connections[0];
                return (
                  <tr key={d.device_id} data-device={d.device_id}>
                    <th scope="row">
                      {label(d)}
                      {d.display_name && <span className="hint"> ({d.device_id})</span>}
                    </th>
                    <td>{when(d.last_seen_ts ?? c?.last_seen)}</td>
                    <td>{d.last_seen_ip ?? c?.ip ?? ""}</td>
                    <td className="admin-ua">{d.last_seen_user_agent ?? c?.user_agent ?? ""}</td>
                    <td className="admin-row-actions">
                      <button type="button" className="btn small" onClick={() => setPending({ kind: "signOut", device: d })} aria-label={`${t("devices.signOut")}: ${label(d)}`}>
                        {t("devices.signOut")}
                      </button>
                      <button type="button" className="btn small danger" onClick={() => setPending({ kind: "wipe", device: d })} aria-label={`${t("devices.wipe")}: ${label(d)}`}>
                        {t("devices.wipe")}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" className="btn danger" onClick={() => setPending({ kind: "signOutAll" })}>
            {t("devices.signOutAll")}
          </button>
        </>
      )}
      <h4>{t("devices.wipes")}</h4>
      <LoadState loading={wipes.loading} error={wipes.error} />
      {wipes.data && wipes.data.wipes.length === 0 && <p>—</p>}
      {wipes.data && wipes.data.wipes.length > 0 && (
        <ul className="admin-list" aria-label={t("devices.wipes")}>
          {wipes.data.wipes.map((w) => (
            <li key={`${w.device_id}-${w.requested_ts}`} data-wipe={w.device_id}>
              <strong>{w.device_id}</strong>: {t("devices.wipeRequestedBy", { time: when(w.requested_ts), by: w.requested_by })}.{" "}
              <span className={w.confirmed_ts ? "admin-ok" : "hint"}>{w.confirmed_ts ? t("devices.wipeConfirmed", { time: when(w.confirmed_ts) }) : t("devices.wipePending")}</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="btn small" onClick={() => (devices.reload(), wipes.reload())}>
        {t("admin.refresh")}
      </button>
      {pending?.kind === "signOut" && (
        <ConfirmDialog
          title={t("devices.signOut")}
          text={t("devices.signOutConfirm", { device: label(pending.device) })}
          confirmLabel={t("devices.signOut")}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await api.deleteDevice(userId, pending.device.device_id);
            await action.run(() => refresh(t("admin.done")));
          }}
        />
      )}
      {pending?.kind === "wipe" && (
        <ConfirmDialog
          title={t("devices.wipe")}
          text={t("devices.wipeConfirm", { device: label(pending.device) })}
          confirmLabel={t("devices.wipe")}
          danger
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await api.wipeDevice(userId, pending.device.device_id);
            await action.run(() => refresh(t("devices.wipeRequested")));
          }}
        />
      )}
      {pending?.kind === "signOutAll" && (
        <ConfirmDialog
          title={t("devices.signOutAll")}
          text={t("devices.signOutAllConfirm", { count: list.length, user: userId })}
          confirmLabel={t("devices.signOutAll")}
          danger
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await api.deleteDevices(userId, list.map((d) => d.device_id));
            await action.run(() => refresh(t("admin.done")));
          }}
        />
      )}
    </section>
  );
}
