// InstanceIndex.match caches by its selectors: module keys holding the separators the cache key is joined with
// (NUL, \u0001) must not make two different selections share an entry (that would drop or add dependency edges).

import { describe, expect, it } from "vitest";
import { InstanceIndex, instanceInfo } from "../../src/graph/instances.js";
import { ANY } from "../../src/graph/resolve.js";
import { formatAddress } from "../../src/plan/address.js";

describe("InstanceIndex", () => {
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

  it("finds each resource's group in a module instance with many resources (looked through, then by a map)", () => {
    // A flat root module holds one group per resource: past a few, groups are found by a map, not one by one.
    const idx = new InstanceIndex();
    const n = 40;
    for (let round = 0; round < 2; round++) {
      for (let r = 0; r < n; r++) {
        const config = `terraform_data.r${r}`;
        const address = `${config}[${round}]`;
        idx.addRow(config, "", [], round * n + r, round);
        expect(idx.group(config, "")?.ids).toEqual(round === 0 ? [r] : [r, n + r]);
        expect(instanceInfo(address, config).key).toBe(round);
      }
    }
    for (let r = 0; r < n; r++) {
      expect(idx.match(`terraform_data.r${r}`, [], 1)).toEqual([n + r]);
      expect(idx.match(`terraform_data.r${r}`, [], ANY)).toEqual([r, n + r]);
    }
    expect([...idx.groups()].map((g) => g.configAddress)).toEqual(Array.from({ length: n }, (_, r) => `terraform_data.r${r}`));
    expect(idx.group("terraform_data.missing", "")).toBeUndefined();
  });

  it("gives rows that share a module_address but not their module steps each their own module instance", () => {
    // A hand-edited plan can say module_address "module.a" on a row whose address is in module.b: that row's group
    // must take the steps of its own address, not those cached for the group key by an earlier row.
    const idx = new InstanceIndex();
    const a = idx.addRow("module.a.terraform_data.x", "module.a", [{ name: "a", key: undefined }], 0, undefined);
    const b = idx.addRow("module.b.terraform_data.y", "module.a", [{ name: "b", key: "k" }], 1, undefined);
    expect(a.moduleNames).toEqual(["a"]);
    expect(a.mi.path).toBe("module.a");
    expect(b.moduleNames).toEqual(["b"]);
    expect(b.moduleKeys).toEqual(["k"]);
    expect(b.mi.path).toBe('module.b["k"]');
    expect(idx.match("module.b.terraform_data.y", ["k"], ANY)).toEqual([1]);
    expect(idx.match("module.b.terraform_data.y", ["other"], ANY)).toEqual([]);
  });
});
