# sievec-args: --limit tests=2
if anyof (true, false, true) { keep; }
