/** A JSON object as read from a file, a process or a peer: its fields still unchecked. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not an array): the first check of any parsed input. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
