require ["include", "variables"];
include :personal "sub";
include :global :once "common";
global "x";
return;
