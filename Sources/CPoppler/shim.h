#ifndef PRECIS_CPOPPLER_SHIM_H
#define PRECIS_CPOPPLER_SHIM_H
#include <glib.h>
#include <glib-object.h>
#include <poppler.h>
#endif
