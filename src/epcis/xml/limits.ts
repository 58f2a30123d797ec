/** Bounds applied to every XML input before anything else looks at it. */
export interface XmlLimits {
  /** Largest accepted input in bytes (UTF-8 bytes for string input). */
  maxBytes?: number
  /** Deepest accepted element nesting; the root element is depth 1. */
  maxDepth?: number
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024
export const DEFAULT_MAX_DEPTH = 64
