export declare const ROOT: string;
/** `cache`: the folder of builds and their latest.json (default .cache/checkout-build). */
export declare function freshBuild(cache?: string): string | null;
export declare function checkoutBuild(): Promise<string>;
