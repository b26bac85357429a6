// The citation box of citeserve's pages, enhanced: a style search, the citation updated in place,
// a copy button, and (in the widget) its height told to the page that frames it. Without this
// script the box still works: its form reloads the page with ?style=&locale=.
'use strict'

/** citeproc's HTML, rebuilt node by node: only these elements and class names survive, text stays text. */
const ALLOWED = new Set(['DIV', 'SPAN', 'I', 'B', 'EM', 'STRONG', 'SUP', 'SUB'])

function rebuild(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent)
  if (node.nodeType !== Node.ELEMENT_NODE) return document.createTextNode('')
  const copy = ALLOWED.has(node.tagName) ? document.createElement(node.tagName.toLowerCase()) : document.createElement('span')
  if (node.className) copy.className = String(node.className)
  for (const child of node.childNodes) copy.append(rebuild(child))
  return copy
}

function replaceWithMarkup(target, markup) {
  const parsed = new DOMParser().parseFromString(markup, 'text/html')
  target.replaceChildren(...[...parsed.body.childNodes].map(rebuild))
}

/** The citation as plain text, one entry a line, as the API's output=text has it ("[1] “Title,” …"). */
function plainText(output) {
  const entries = [...output.querySelectorAll('.csl-entry')]
  return (entries.length > 0 ? entries : [output]).map((entry) => entry.innerText.replace(/\s+/g, ' ').trim()).join('\n')
}

function enhance(box) {
  const form = box.querySelector('.cite-form')
  const style = form.elements.style
  const locale = form.elements.locale
  const options = box.querySelector('datalist')
  const output = box.querySelector('.citation')
  const copy = box.querySelector('.copy')
  const status = box.querySelector('.copy-status')
  const citationUrl = box.dataset.citationUrl
  let searching

  function showError(message, suggestions) {
    box.querySelector('.cite-error')?.remove()
    if (!message) return
    const error = document.createElement('div')
    error.className = 'cite-error'
    error.setAttribute('role', 'alert')
    const text = document.createElement('p')
    text.textContent = message
    error.append(text)
    if (suggestions.length > 0) {
      const list = document.createElement('p')
      list.append('Did you mean ')
      suggestions.forEach((id, index) => {
        const button = document.createElement('button')
        button.type = 'button'
        button.className = 'copy'
        button.textContent = id
        button.addEventListener('click', () => {
          style.value = id
          form.requestSubmit()
        })
        if (index > 0) list.append(' ')
        list.append(button)
      })
      list.append('?')
      error.append(list)
    }
    output.after(error)
  }

  // Style search: the first matching styles become the options of the input's datalist.
  style.addEventListener('input', () => {
    clearTimeout(searching)
    const words = style.value.trim()
    if (words.length < 2) return
    searching = setTimeout(async () => {
      const response = await fetch(`/styles?${new URLSearchParams({ query: words, rows: '25' })}`, {
        headers: { Accept: 'application/json' },
      })
      if (!response.ok) return
      const { message } = await response.json()
      options.replaceChildren(
        ...message.items.map((item) => {
          const option = document.createElement('option')
          option.value = item.id
          option.label = item.title
          return option
        }),
      )
    }, 200)
  })

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const chosen = { style: style.value.trim(), locale: locale.value }
    const query = new URLSearchParams({ format: 'bibliography', output: 'html', style: chosen.style })
    if (chosen.locale) query.set('locale', chosen.locale)
    output.setAttribute('aria-busy', 'true')
    try {
      const response = await fetch(`${citationUrl}?${query}`)
      if (response.ok) {
        replaceWithMarkup(output, await response.text())
        output.dataset.style = chosen.style
        showError()
        history.replaceState(null, '', `?${new URLSearchParams(chosen)}`)
      } else {
        const problem = await response.json()
        const errors = problem.errors ?? []
        showError(
          problem.detail,
          errors.flatMap((error) => (error.name === 'style' ? (error.allowed ?? []) : [])),
        )
      }
    } catch {
      showError('The citation could not be loaded; check the connection and try again.', [])
    } finally {
      output.removeAttribute('aria-busy')
    }
  })

  locale.addEventListener('change', () => form.requestSubmit())

  if (navigator.clipboard) {
    copy.hidden = false
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(plainText(output))
        status.textContent = 'Citation copied to the clipboard.'
      } catch {
        status.textContent = 'Copying is not allowed here; select the citation and copy it.'
      }
    })
  }
}

/** In the widget: tell the framing page how tall the content is, whenever that changes. */
function reportHeight() {
  if (window.parent === window) return
  const send = () => window.parent.postMessage({ type: 'citeserve:height', height: Math.ceil(document.documentElement.scrollHeight) }, '*')
  new ResizeObserver(send).observe(document.body)
  send()
}

document.querySelectorAll('.citation-box').forEach(enhance)
if (document.body.classList.contains('widget')) reportHeight()
