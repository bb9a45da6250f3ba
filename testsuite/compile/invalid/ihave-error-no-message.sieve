require "ihave";
error;
