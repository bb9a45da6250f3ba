require "editheader";
addheader "X-Bad:" "value";
