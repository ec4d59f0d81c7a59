export function startArguments(root?: string): string[];
