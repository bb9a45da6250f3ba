require "vacation";
discard;
vacation "I am away; your message was discarded.";
