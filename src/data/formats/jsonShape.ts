// One linear scan over JSON text that finds pathological shapes before a parser or validator
// sees them: nesting deeper than a limit, or an array longer than a limit. Used for API bodies
// (src/api/plugins/requestLimits.ts) and imported files.

export type JsonShapeProblem = { kind: 'depth'; limit: number } | { kind: 'array'; limit: number };

/**
 * The first bound a JSON text breaks, or null. Strings are skipped (brackets and commas in them
 * do not count); the text need not be valid JSON, the parser decides that afterwards.
 */
export function jsonShapeProblem(text: string, maxDepth: number, maxItems = Number.POSITIVE_INFINITY): JsonShapeProblem | null {
  // Per open container: -1 for an object, else the array's comma count so far.
  const stack: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    switch (c) {
      case 0x22: // "
        inString = true;
        break;
      case 0x5b: // [
      case 0x7b: // {
        if (stack.length >= maxDepth) return { kind: 'depth', limit: maxDepth };
        stack.push(c === 0x5b ? 0 : -1);
        break;
      case 0x5d: // ]
      case 0x7d: // }
        stack.pop();
        break;
      case 0x2c: {
        // , — n commas separate n + 1 items
        const top = stack.length - 1;
        if (top >= 0 && stack[top] >= 0 && ++stack[top] >= maxItems) return { kind: 'array', limit: maxItems };
        break;
      }
    }
  }
  return null;
}
