#pragma once
// The umbrella header: everything public in mojifix.

#include "mojifix/decode.hpp"
#include "mojifix/fix.hpp"
#include "mojifix/options.hpp"
#include "mojifix/result.hpp"
#include "mojifix/script.hpp"
#include "mojifix/version.hpp"
