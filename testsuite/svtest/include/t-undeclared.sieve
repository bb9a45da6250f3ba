require ["include", "variables"];
# trace is not declared global here: this is a local of the same name.
set "trace" "${trace}LOCAL";
