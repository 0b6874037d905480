export declare const ROOT: string;
/** `cache`: the folder of builds and their latest.json (default .cache/checkout-build). */
export declare function freshBuild(cache?: string): string | null;
export declare function checkoutBuild(): Promise<string>;
export declare function stamp(files: readonly string[]): Record<string, number>;
export declare function unchanged(inputs: Record<string, number>): boolean;
export declare function writeAtomically(path: string, text: string): void;
