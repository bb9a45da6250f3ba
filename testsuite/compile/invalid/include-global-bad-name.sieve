require ["include", "variables"];
global "not-a-name";
