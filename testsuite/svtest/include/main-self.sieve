require "include";
include "main-self";
