require "ihave";
if ihave { keep; }
