/**
 * Sign-up with an invite link: the spec's user-interactive registration with an m.login.registration_token stage
 * (Matrix v1.2+). First call without auth gets the flows and a session; then each stage of a flow that contains
 * the token stage is completed (the token, and m.login.dummy if the server adds it).
 */
import type { Fetch } from "./adminApi";

export const TOKEN_STAGE = "m.login.registration_token";
const DUMMY_STAGE = "m.login.dummy";

/** Why a sign-up failed, in terms the page turns into a message. */
export type RegisterFailure =
  | { kind: "taken" }
  | { kind: "badUsername" }
  | { kind: "weakPassword"; message: string }
  | { kind: "tokenRejected" }
  | { kind: "unsupported" }
  | { kind: "other"; message: string };

export class RegisterError extends Error {
  constructor(readonly failure: RegisterFailure) {
    super(failure.kind);
    this.name = "RegisterError";
  }
}

export interface Registered {
  user_id: string;
  access_token: string;
  device_id: string;
}

interface UiaState {
  session?: string;
  flows?: { stages: string[] }[];
  completed?: string[];
  errcode?: string;
  error?: string;
}

/** Checks a registration token without using it up. */
export async function tokenValid(baseUrl: string, token: string, fetchFn: Fetch = fetch): Promise<boolean> {
  const res = await fetchFn(`${baseUrl}/_matrix/client/v1/register/${TOKEN_STAGE}/validity?token=${encodeURIComponent(token)}`);
  if (!res.ok) return false;
  return (await res.json()).valid === true;
}

/** The error of a failed registration call, as a RegisterFailure. */
export function failureOf(status: number, body: UiaState): RegisterFailure {
  switch (body.errcode) {
    case "M_USER_IN_USE":
      return { kind: "taken" };
    case "M_INVALID_USERNAME":
    case "M_EXCLUSIVE":
      return { kind: "badUsername" };
    case "M_WEAK_PASSWORD":
      return { kind: "weakPassword", message: body.error ?? "" };
  }
  // A failed token stage comes back as 401 with the UIA state and an error (M_FORBIDDEN / M_UNAUTHORIZED).
  if (status === 401 && body.errcode) return { kind: "tokenRejected" };
  return { kind: "other", message: body.error ?? `HTTP ${status}` };
}

/** Registers an account with a registration token; returns the new session (the user is signed in). */
export async function registerWithToken(
  baseUrl: string,
  req: { username: string; password: string; token: string; deviceName: string },
  fetchFn: Fetch = fetch,
): Promise<Registered> {
  const call = async (auth?: Record<string, unknown>) => {
    const res = await fetchFn(`${baseUrl}/_matrix/client/v3/register?kind=user`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        username: req.username.trim(),
        password: req.password,
        initial_device_display_name: req.deviceName,
        ...(auth ? { auth } : {}),
      }),
    });
    let body: any = {};
    try {
      body = await res.json();
    } catch {
      /* empty */
    }
    return { status: res.status, body };
  };

  let { status, body } = await call();
  if (status === 200) return body as Registered;
  if (status !== 401 || !body.session) throw new RegisterError(failureOf(status, body));
  const session: string = body.session;
  const flow = (body as UiaState).flows?.find((f) => f.stages.includes(TOKEN_STAGE) && f.stages.every((s) => s === TOKEN_STAGE || s === DUMMY_STAGE));
  if (!flow) throw new RegisterError({ kind: "unsupported" });
  for (const stage of flow.stages) {
    if ((body as UiaState).completed?.includes(stage)) continue;
    const auth = stage === TOKEN_STAGE ? { type: TOKEN_STAGE, token: req.token, session } : { type: DUMMY_STAGE, session };
    ({ status, body } = await call(auth));
    if (status === 200) return body as Registered;
    if (status !== 401 || body.errcode) throw new RegisterError(failureOf(status, body));
  }
  throw new RegisterError({ kind: "other", message: "registration did not finish" });
}
