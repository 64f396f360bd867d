// The raw baseline of the client's start-up: a wxWidgets program that shows a frame
// with an empty wxDataViewCtrl and nothing else, and prints how long it took until the
// frame was shown and idle, and its resident memory, like `onewindow --timing` does.
#include "ProcessStats.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <wx/app.h>
#include <wx/dataview.h>
#include <wx/frame.h>

namespace {

const auto kStart = std::chrono::steady_clock::now();

class BareApp : public wxApp {
public:
    bool OnInit() override
    {
        auto* frame = new wxFrame(nullptr, wxID_ANY, "bare", wxDefaultPosition, wxSize(1280, 800));
        auto* view = new wxDataViewListCtrl(frame, wxID_ANY);
        view->AppendTextColumn("number");
        frame->Show();
        CallAfter([frame] {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - kStart)
                                .count();
            std::cout << "ready_ms " << ms << "\nresident_kib " << ow::gui::residentKiB() << std::endl;
            frame->Close(true);
        });
        return true;
    }
};

} // namespace

wxIMPLEMENT_APP(BareApp);
