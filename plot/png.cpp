#include "plot/png.hpp"

#include <stdexcept>

#ifdef PLAN_HAVE_RSVG
#include <cairo.h>
#include <librsvg/rsvg.h>

#include "files/shared_library.hpp"
#endif

namespace plan::plot {

#ifdef PLAN_HAVE_RSVG

namespace {

// librsvg, with cairo and GLib beneath it, is opened on the first PNG rather than linked: those
// libraries (and pango, fontconfig, harfbuzz, X11's they pull in) took the dynamic loader several
// milliseconds at every start of plan, which every command paid and only a PNG needs
// (bench/README.md, start-up). PLAN_RSVG_SONAME, from the build, is the library's SONAME. The
// library stays open for the life of the process.
struct Rsvg {
    decltype(&rsvg_handle_new_from_data) new_from_data;
    decltype(&rsvg_handle_get_intrinsic_size_in_pixels) intrinsic_size;
    decltype(&rsvg_handle_render_document) render_document;
    decltype(&g_object_unref) object_unref;
    decltype(&g_error_free) error_free;
    decltype(&cairo_image_surface_create) image_surface_create;
    decltype(&cairo_create) create;
    decltype(&cairo_surface_write_to_png_stream) write_to_png_stream;
    decltype(&cairo_destroy) destroy;
    decltype(&cairo_surface_destroy) surface_destroy;
    decltype(&cairo_status_to_string) status_to_string;
};

Rsvg load() {
    const files::SharedLibrary library("librsvg", PLAN_RSVG_SONAME, "PNG plots need");
    Rsvg r{};  // librsvg's own functions, and its cairo's and GLib's
    library.bind(r.new_from_data, "rsvg_handle_new_from_data");
    library.bind(r.intrinsic_size, "rsvg_handle_get_intrinsic_size_in_pixels");
    library.bind(r.render_document, "rsvg_handle_render_document");
    library.bind(r.object_unref, "g_object_unref");
    library.bind(r.error_free, "g_error_free");
    library.bind(r.image_surface_create, "cairo_image_surface_create");
    library.bind(r.create, "cairo_create");
    library.bind(r.write_to_png_stream, "cairo_surface_write_to_png_stream");
    library.bind(r.destroy, "cairo_destroy");
    library.bind(r.surface_destroy, "cairo_surface_destroy");
    library.bind(r.status_to_string, "cairo_status_to_string");
    return r;
}

const Rsvg& rsvg() {
    static const Rsvg functions = load();
    return functions;
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

bool png_supported() { return true; }

std::string svg_to_png(const std::string& svg) {
    const Rsvg& r = rsvg();
    GError* error = nullptr;
    RsvgHandle* handle = r.new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error);
    if (!handle) {
        std::string why = error ? error->message : "unknown error";
        if (error) r.error_free(error);
        throw std::runtime_error("librsvg cannot read the plot's SVG: " + why);
    }
    gdouble width = 0, height = 0;
    if (!r.intrinsic_size(handle, &width, &height) || width < 1 || height < 1) {
        r.object_unref(handle);
        throw std::runtime_error("the plot's SVG has no size in pixels");
    }
    cairo_surface_t* surface = r.image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(width), static_cast<int>(height));
    cairo_t* cr = r.create(surface);
    RsvgRectangle viewport{0, 0, width, height};
    bool drawn = r.render_document(handle, cr, &viewport, &error);
    std::string png;
    cairo_status_t status = drawn ? r.write_to_png_stream(surface, append, &png) : CAIRO_STATUS_SUCCESS;
    r.destroy(cr);
    r.surface_destroy(surface);
    r.object_unref(handle);
    if (!drawn) {
        std::string why = error ? error->message : "unknown error";
        if (error) r.error_free(error);
        throw std::runtime_error("librsvg cannot draw the plot: " + why);
    }
    if (status != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("cairo cannot encode the PNG: ") + r.status_to_string(status));
    return png;
}

#else

bool png_supported() { return false; }

std::string svg_to_png(const std::string&) {
    throw std::runtime_error("this build of plan has no PNG support (it was configured without librsvg: apt-get install librsvg2-dev)");
}

#endif

}  // namespace plan::plot
