// A thin RAII layer over libxlsxwriter in constant-memory mode: each sheet is streamed row by row
// to a temporary file, so memory stays flat whatever the number of rows. Cells are typed: numbers,
// booleans and real Excel dates, never numbers or dates stored as text.
#pragma once

#include <xlsxwriter.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace leandesk::exports {

struct Column {
    const char* header;
    double width;
};

class XlsxBook;

/// One worksheet: a bold header row (frozen, with filters) and data rows written in order.
class XlsxSheet {
  public:
    /// Starts the next data row.
    void row();
    /// Text; an empty string leaves the cell empty. `text` must be NUL-terminated at its end.
    void text(const char* text);
    void text(const std::string& text) { this->text(text.c_str()); }
    void number(double value);
    void optional_number(const std::optional<double>& value);
    void boolean(bool value);
    /// An ISO date "YYYY-MM-DD" as an Excel date; empty when absent.
    void date(const std::optional<std::string_view>& iso);
    /// A UTC time in ms as an Excel date-time (yyyy-mm-dd hh:mm:ss); empty when absent.
    void time(const std::optional<Millis>& ms);
    void blank();
    /// Adds the filter over the header and every written row.
    void finish();

    [[nodiscard]] std::uint32_t rows() const { return row_; }

  private:
    friend class XlsxBook;
    XlsxSheet(XlsxBook& book, lxw_worksheet* sheet, std::size_t columns);
    void check(lxw_error err);

    XlsxBook* book_;
    lxw_worksheet* sheet_;
    std::uint16_t columns_;
    std::uint32_t row_ = 0;  // the header is row 0
    std::uint16_t col_ = 0;
};

class XlsxBook {
  public:
    /// Opens a workbook that will be written to `path` by close().
    explicit XlsxBook(const std::string& path);
    ~XlsxBook();
    XlsxBook(const XlsxBook&) = delete;
    XlsxBook& operator=(const XlsxBook&) = delete;

    XlsxSheet add_sheet(const char* name, const std::vector<Column>& columns);
    /// Sets the title and creation time shown in the file's properties.
    void set_properties(const std::string& title, Millis created);
    /// Writes the file. Throws Error(io) on failure.
    void close();

  private:
    friend class XlsxSheet;
    lxw_workbook* book_;
    lxw_format* header_ = nullptr;
    lxw_format* date_ = nullptr;
    lxw_format* time_ = nullptr;
    std::string title_;
};

/// Excel's serial day number of a UTC time in ms (days since 1899-12-30 plus the fraction).
double excel_serial(Millis ms);

}  // namespace leandesk::exports
