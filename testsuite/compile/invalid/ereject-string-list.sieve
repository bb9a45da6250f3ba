require "ereject";
ereject ["a", "b"];
