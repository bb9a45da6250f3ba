require "copy";
discard :copy;
