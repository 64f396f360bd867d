// Database work off the GUI thread: a job runs on the client's worker thread and its
// result (or its error, already turned into a sentence) comes back on the GUI thread,
// but only while the window that asked still exists.
#pragma once

#include "client/core/Backend.h"
#include "client/core/Worker.h"

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <wx/app.h>

namespace ow::gui {

// The data side of one logged-in client: the backend lives on the worker thread. The
// worker is declared last so that it stops (running what is queued) before the
// backend goes.
struct Session {
    explicit Session(client::ConnectionSettings settings)
        : backend(std::move(settings))
    {
    }
    client::Backend backend;
    client::Worker worker;
};

// A token a window holds; jobs check it on the GUI thread before calling back.
class Liveness {
public:
    Liveness()
        : m_alive(std::make_shared<bool>(true))
    {
    }
    ~Liveness() { *m_alive = false; }
    Liveness(const Liveness&) = delete;
    Liveness& operator=(const Liveness&) = delete;
    std::shared_ptr<bool> token() const { return m_alive; }

private:
    std::shared_ptr<bool> m_alive;
};

// One load at a time for a view: asked again while a load runs, the view loads once more
// when that load is done, so a burst of "data changed" costs at most two loads.
class LoadGate {
public:
    // False while a load runs (remembering that another was asked for); else starts one.
    bool begin()
    {
        if (m_loading) {
            m_again = true;
            return false;
        }
        m_loading = true;
        return true;
    }
    // The load finished (or failed); true when another was asked for meanwhile.
    bool end()
    {
        const bool again = m_again;
        m_loading = m_again = false;
        return again;
    }
    bool loading() const { return m_loading; }

private:
    bool m_loading = false;
    bool m_again = false;
};

// The translated sentence for an error a job threw (gui/Text.cpp).
std::string describeError(std::exception_ptr error);

template<class Result>
void runAsync(Session& session, const Liveness& owner, std::function<Result(client::Backend&)> job,
    std::function<void(Result)> done, std::function<void(const std::string&)> failed = {})
{
    auto alive = owner.token();
    client::Backend* backend = &session.backend;
    session.worker.post(
        [alive, backend, job = std::move(job), done = std::move(done), failed = std::move(failed)]() mutable {
            try {
                auto result = std::make_shared<Result>(job(*backend));
                wxTheApp->CallAfter([alive, result, done] {
                    if (*alive)
                        done(std::move(*result));
                });
            } catch (const std::exception&) {
                // Described on the GUI thread, where the translations are looked up.
                wxTheApp->CallAfter([alive, error = std::current_exception(), failed] {
                    if (*alive && failed)
                        failed(describeError(error));
                });
            }
        });
}

} // namespace ow::gui
