import { useEffect, useRef, useState } from "react";
import { ClientEvent, MatrixEventEvent, RoomEvent, RoomMemberEvent, RoomStateEvent, UserEvent, type MatrixClient } from "matrix-js-sdk";

const EVENTS = [
  ClientEvent.Sync,
  ClientEvent.Room,
  ClientEvent.DeleteRoom,
  ClientEvent.AccountData,
  RoomEvent.Timeline,
  MatrixEventEvent.Decrypted,
  RoomEvent.TimelineReset,
  RoomEvent.Name,
  RoomEvent.Receipt,
  RoomEvent.LocalEchoUpdated,
  RoomEvent.Redaction,
  RoomEvent.RedactionCancelled,
  RoomEvent.MyMembership,
  RoomEvent.UnreadNotifications,
  RoomMemberEvent.Typing,
  RoomMemberEvent.Membership,
  RoomMemberEvent.Name,
  RoomMemberEvent.PowerLevel,
  RoomStateEvent.Events,
  UserEvent.DisplayName,
  UserEvent.AvatarUrl,
] as const;

/** Re-renders the calling component (at most once per animation frame) whenever the client's state changes. */
export function useClientVersion(client: MatrixClient): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let frame = 0;
    const bump = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    for (const e of EVENTS) client.on(e as any, bump);
    return () => {
      for (const e of EVENTS) client.off(e as any, bump);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client]);
  return version;
}

/** The open room, kept in the URL hash (#/room/!id:server) so the browser's back button works. */
export function useHashRoute(): [string | null, (roomId: string | null) => void] {
  const parse = () => {
    const m = window.location.hash.match(/^#\/room\/(.+)$/);
    return m ? decodeURIComponent(m[1]) : null;
  };
  const [roomId, setRoomId] = useState<string | null>(parse);
  useEffect(() => {
    const h = () => setRoomId(parse());
    window.addEventListener("hashchange", h);
    return () => window.removeEventListener("hashchange", h);
  }, []);
  const navigate = (id: string | null) => {
    if (id) {
      window.location.hash = `#/room/${encodeURIComponent(id)}`;
    } else if (parse() !== null) {
      // Prefer going back in history so the phone's back gesture and our back button agree.
      if (window.history.state?.amtsboteFromList) window.history.back();
      else window.location.hash = "#/";
    }
  };
  return [roomId, navigate];
}

export function usePrevious<T>(value: T): T | undefined {
  const ref = useRef<T | undefined>(undefined);
  useEffect(() => {
    ref.current = value;
  });
  return ref.current;
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === "undefined" ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}
