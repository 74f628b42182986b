// InstanceIndex.match caches by its selectors: module keys holding the separators the cache key is joined with
// (NUL, \u0001) must not make two different selections share an entry (that would drop or add dependency edges).

import { describe, expect, it } from "vitest";
import { InstanceIndex, instanceInfo } from "../../src/graph/instances.js";
import { formatAddress } from "../../src/plan/address.js";

describe("InstanceIndex.match", () => {
  it("keeps selections apart whose keys contain the cache key's separators", () => {
    const config = "module.m.module.n.terraform_data.x";
    const idx = new InstanceIndex();
    const keysA = ["p\u0000string:q", "r"];
    const keysB = ["p", "q\u0000string:r"];
    const addr = (keys: string[]): string => formatAddress({ module: [{ name: "m", key: keys[0]! }, { name: "n", key: keys[1]! }], mode: "managed", type: "terraform_data", name: "x" });
    const a = addr(keysA);
    const b = addr(keysB);
    idx.add(0, instanceInfo(a, config), a.slice(0, a.lastIndexOf(".terraform_data")));
    idx.add(1, instanceInfo(b, config), b.slice(0, b.lastIndexOf(".terraform_data")));
    expect(idx.match(config, keysA, undefined)).toEqual([0]);
    expect(idx.match(config, keysB, undefined)).toEqual([1]);
  });
});
