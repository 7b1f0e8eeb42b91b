#include "plot/png.hpp"

#include <stdexcept>

#ifdef PLAN_HAVE_RSVG
#include <cairo.h>
#include <librsvg/rsvg.h>
#endif

namespace plan::plot {

#ifdef PLAN_HAVE_RSVG

namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

bool png_supported() { return true; }

std::string svg_to_png(const std::string& svg) {
    GError* error = nullptr;
    RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error);
    if (!handle) {
        std::string why = error ? error->message : "unknown error";
        if (error) g_error_free(error);
        throw std::runtime_error("librsvg cannot read the plot's SVG: " + why);
    }
    gdouble width = 0, height = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &width, &height) || width < 1 || height < 1) {
        g_object_unref(handle);
        throw std::runtime_error("the plot's SVG has no size in pixels");
    }
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(width), static_cast<int>(height));
    cairo_t* cr = cairo_create(surface);
    RsvgRectangle viewport{0, 0, width, height};
    bool drawn = rsvg_handle_render_document(handle, cr, &viewport, &error);
    std::string png;
    cairo_status_t status = drawn ? cairo_surface_write_to_png_stream(surface, append, &png) : CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    g_object_unref(handle);
    if (!drawn) {
        std::string why = error ? error->message : "unknown error";
        if (error) g_error_free(error);
        throw std::runtime_error("librsvg cannot draw the plot: " + why);
    }
    if (status != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("cairo cannot encode the PNG: ") + cairo_status_to_string(status));
    return png;
}

#else

bool png_supported() { return false; }

std::string svg_to_png(const std::string&) {
    throw std::runtime_error("this build of plan has no PNG support (it was configured without librsvg: apt-get install librsvg2-dev)");
}

#endif

}  // namespace plan::plot
