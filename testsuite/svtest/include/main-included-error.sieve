require "include";
include "has-error";
