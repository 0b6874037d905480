// The TitanPL app the driver and the benchmark run inside titan-server (built by build.ts).
import t from "@titanpl/route";

t.post("/op").action("op");
t.post("/reset").action("reset"); // the driver empties the store for a fresh open // one storage operation, strings encoded so any JS string survives JSON
t.post("/noop").action("noop"); // benchmark: no storage call
t.post("/get").action("get"); // benchmark: one t.ls.get
t.post("/set").action("set"); // benchmark: one t.ls.set
t.post("/sessionset").action("sessionset"); // benchmark: one t.session.set
t.post("/fill").action("fill"); // benchmark: fill the store to a size, answer its key count
t.post("/churn").action("churn"); // benchmark: many storage operations per request (memory curve)
t.post("/repro").action("repro"); // reports/titanpl-server-7.0.1.md: minimal reproductions

// The port comes from the PORT environment variable; 4 worker isolates (two per core here).
t.start(3000, "titan-storage-spec app", 4);
