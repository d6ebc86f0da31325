/**
 * The access token the page was opened with (`/?token=TOKEN`, PROTOCOL.md §15), for a server started with an
 * auth secret: the page passes it on to the SDK, which sends it to the WebSocket (`token` query parameter) and
 * to the REST API (`Authorization: Bearer`). Undefined when the URL has none, an empty one, or one an HTTP header cannot carry
 * (anything but visible ASCII; every `tw1` token is base64url and dots) — the server then answers 4001/401,
 * which the page shows, rather than the browser throwing on the header.
 */
export function pageToken(search: string): string | undefined {
  const token = new URLSearchParams(search).get('token');
  return token !== null && /^[\x21-\x7e]+$/.test(token) ? token : undefined;
}
